using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using FcGateway.Buffers;
using FcGateway.Dialects.FcV1.Events;
using FcGateway.Dialects;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using static Gateway.Tests.Events.EventRequests;

namespace Gateway.Tests.Events;

public sealed class HttpTriggerEventWriterTests
{
    [Fact]
    public void Write_AnyRequest_IsOneJsonObjectWithEveryEventField()
    {
        using var document = WriteDocument(Create());
        var root = document.RootElement;

        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Equal(["body", "headers", "isBase64Encoded", "queryParameters", "rawPath", "requestContext", "version"], PropertyNames(root).Order(StringComparer.Ordinal));
        Assert.Equal("v1", root.GetProperty("version").GetString());
        var context = root.GetProperty("requestContext");
        Assert.Equal(["accountId", "domainName", "domainPrefix", "http", "requestId", "time", "timeEpoch"], PropertyNames(context).Order(StringComparer.Ordinal));
        Assert.Equal(["method", "path", "protocol", "sourceIp", "userAgent"], PropertyNames(context.GetProperty("http")).Order(StringComparer.Ordinal));
        Assert.Equal("1234567890", context.GetProperty("accountId").GetString());
        Assert.Equal("1-64f6cd87-e01edb1cce58240ed59b59d9", context.GetProperty("requestId").GetString());
        Assert.Equal("HTTP/1.1", context.GetProperty("http").GetProperty("protocol").GetString());
    }

    [Theory]
    [InlineData("/", "/")]
    [InlineData("/example", "/example")]
    [InlineData("/a%20b/c", "/a b/c")]
    [InlineData("/%E4%B8%AD/%C3%A9", "/中/é")]
    [InlineData("/a+b", "/a+b")]
    [InlineData("/100%25", "/100%")]
    [InlineData("/%2541", "/%41")]
    [InlineData("/a+b%20c", "/a+b c")]
    [InlineData("/%C3%A9/%FF", "/é/\uFFFD")]
    [InlineData("/%E4%B8/x", "/\uFFFD/x")]
    [InlineData("/%zz%20", "/%zz ")]
    public void Write_RawPath_KeptEncodedAndDecodedInHttpPath(string rawPath, string decodedPath)
    {
        using var document = WriteDocument(Create(rawPath: rawPath));

        Assert.Equal(rawPath, document.RootElement.GetProperty("rawPath").GetString());
        Assert.Equal(decodedPath, document.RootElement.GetProperty("requestContext").GetProperty("http").GetProperty("path").GetString());
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public void Write_Method_WrittenInHttpMethod(string method)
    {
        using var document = WriteDocument(Create(method: method));

        Assert.Equal(method, document.RootElement.GetProperty("requestContext").GetProperty("http").GetProperty("method").GetString());
    }

    [Theory]
    [InlineData("x-custom-header", "X-Custom-Header")]
    [InlineData("header1", "Header1")]
    [InlineData("CONTENT-TYPE", "Content-Type")]
    [InlineData("Accept", "Accept")]
    [InlineData("x-real-ip", "X-Real-Ip")]
    [InlineData("ETag", "Etag")]
    [InlineData("www-authenticate", "Www-Authenticate")]
    [InlineData("a--b", "A--B")]
    public void Write_HeaderName_InGoCanonicalForm(string name, string canonical)
    {
        using var document = WriteDocument(Create(headers: Headers((name, "value"))));
        var headers = document.RootElement.GetProperty("headers");

        Assert.Equal([canonical, "X-Forwarded-For"], PropertyNames(headers));
        Assert.Equal("value", headers.GetProperty(canonical).GetString());
    }

    [Fact]
    public void Write_HeaderNameLongerThanStackLimit_InGoCanonicalForm()
    {
        var name = "x-" + string.Join("-", Enumerable.Repeat("long", 100));
        var canonical = "X-" + string.Join("-", Enumerable.Repeat("Long", 100));

        using var document = WriteDocument(Create(headers: Headers((name, "value"))));

        Assert.Equal("value", document.RootElement.GetProperty("headers").GetProperty(canonical).GetString());
    }

    [Theory]
    [InlineData(new[] { "value1" }, "value1")]
    [InlineData(new[] { "value1", "value2" }, "value1,value2")]
    [InlineData(new[] { "a", "b", "c" }, "a,b,c")]
    [InlineData(new[] { "value1, value2" }, "value1, value2")]
    [InlineData(new[] { "" }, "")]
    [InlineData(new[] { "a", "", "b" }, "a,,b")]
    public void Write_RepeatedHeader_JoinedWithCommaAndNoSpace(string[] values, string joined)
    {
        var headers = new HeaderDictionary { ["header2"] = new StringValues(values) };

        using var document = WriteDocument(Create(headers: headers));

        Assert.Equal(joined, document.RootElement.GetProperty("headers").GetProperty("Header2").GetString());
    }

    [Theory]
    [InlineData("Host", "echo.cn-hangzhou.fcapp.run")]
    [InlineData("host", "echo.cn-hangzhou.fcapp.run:8080")]
    [InlineData("Connection", "keep-alive")]
    [InlineData("Keep-Alive", "timeout=5")]
    [InlineData("Transfer-Encoding", "chunked")]
    [InlineData("Trailer", "X-Checksum")]
    [InlineData("TE", "trailers")]
    [InlineData("Upgrade", "websocket")]
    [InlineData("Proxy-Connection", "keep-alive")]
    [InlineData("HTTP2-Settings", "AAMAAABkAAQCAAAAAAIAAAAA")]
    [InlineData("x-fc-request-id", "1-forged")]
    [InlineData("X-Fc-Access-Key-Secret", "forged")]
    [InlineData("X-FC-CONTROL-PATH", "/initialize")]
    public void Write_OmittedHeader_NotInHeaders(string name, string value)
    {
        using var document = WriteDocument(Create(headers: Headers((name, value), ("Accept", "*/*"))));

        Assert.Equal(["Accept", "X-Forwarded-For"], PropertyNames(document.RootElement.GetProperty("headers")));
    }

    [Theory]
    [InlineData(null, "40.1.2.3")]
    [InlineData("1.1.1.1", "1.1.1.1, 40.1.2.3")]
    [InlineData("forged", "40.1.2.3")]
    public void Write_XForwardedFor_WrittenOnceFromEventRequest(string? received, string forwardedFor)
    {
        var headers = received is null ? new HeaderDictionary() : Headers(("x-forwarded-for", received));

        var text = WriteText(Create(headers: headers, forwardedFor: forwardedFor));
        using var document = JsonDocument.Parse(text);

        Assert.Equal(["X-Forwarded-For"], PropertyNames(document.RootElement.GetProperty("headers")));
        Assert.Equal(forwardedFor, document.RootElement.GetProperty("headers").GetProperty("X-Forwarded-For").GetString());
        Assert.Equal(2, text.ToUpperInvariant().Split("FORWARDED-FOR").Length);
    }

    [Fact]
    public void Write_NoQuery_QueryParametersIsEmptyObject()
    {
        var text = WriteText(Create());

        Assert.Contains("\"queryParameters\":{}", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_QueryCollection_ValuesWrittenAndRepeatedKeysJoined()
    {
        var query = new QueryCollection(new Dictionary<string, StringValues>
        {
            ["parameter1"] = "value1",
            ["parameter2"] = new(["value1", "value2"]),
            ["a b"] = "c d",
            ["é"] = "中",
            ["empty"] = "",
        });

        using var document = WriteDocument(Create(query: query));
        var parameters = document.RootElement.GetProperty("queryParameters");

        Assert.Equal(5, parameters.EnumerateObject().Count());
        Assert.Equal("value1", parameters.GetProperty("parameter1").GetString());
        Assert.Equal("value1,value2", parameters.GetProperty("parameter2").GetString());
        Assert.Equal("c d", parameters.GetProperty("a b").GetString());
        Assert.Equal("中", parameters.GetProperty("é").GetString());
        Assert.Equal("", parameters.GetProperty("empty").GetString());
    }

    [Theory]
    [InlineData(new[] { "1" }, "1")]
    [InlineData(new[] { "1", "2" }, "1,2")]
    [InlineData(new[] { "a", "", "b" }, "a,,b")]
    [InlineData(new[] { "", "" }, ",")]
    public void Write_RepeatedQueryValues_JoinedWithCommaAndNoSpace(string[] values, string joined)
    {
        var query = new Dictionary<string, StringValues> { ["key"] = new(values) };

        using var document = WriteDocument(Create(query: query));

        Assert.Equal(joined, document.RootElement.GetProperty("queryParameters").GetProperty("key").GetString());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/html")]
    [InlineData("text/csv")]
    [InlineData("application/json")]
    [InlineData("application/ld+json")]
    [InlineData("application/xhtml+xml")]
    [InlineData("application/xml")]
    [InlineData("application/atom+xml")]
    [InlineData("application/javascript")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("text/plain;charset=UTF-8")]
    [InlineData("Application/JSON")]
    [InlineData("TEXT/PLAIN; charset=utf-8")]
    [InlineData("APPLICATION/XML ; charset=utf-8")]
    public void Write_TextMediaType_BodyPassedAsText(string contentType)
    {
        var body = "{\"message\": \"Hello\"} é"u8.ToArray();

        using var document = WriteDocument(Create(headers: TextHeaders(contentType), body: body));

        Assert.False(document.RootElement.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal("{\"message\": \"Hello\"} é", document.RootElement.GetProperty("body").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("application/octet-stream")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("image/png")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/jsonx")]
    [InlineData("application/problem+json")]
    [InlineData("text")]
    public void Write_OtherOrMissingMediaType_BodyBase64Encoded(string? contentType)
    {
        var body = "Hello FC!"u8.ToArray();
        var headers = contentType is null ? new HeaderDictionary() : TextHeaders(contentType);

        using var document = WriteDocument(Create(headers: headers, body: body));

        Assert.True(document.RootElement.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal("SGVsbG8gRkMh", document.RootElement.GetProperty("body").GetString());
        Assert.Equal(body, document.RootElement.GetProperty("body").GetBytesFromBase64());
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { (byte)'a', 0xC3 })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { (byte)'o', (byte)'k', 0x80, (byte)'!' })]
    public void Write_TextMediaTypeWithInvalidUtf8_BodyBase64Encoded(byte[] body)
    {
        using var document = WriteDocument(Create(headers: TextHeaders("text/plain; charset=utf-8"), body: body));

        Assert.True(document.RootElement.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(body, document.RootElement.GetProperty("body").GetBytesFromBase64());
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("application/octet-stream", true)]
    [InlineData("text/plain", false)]
    [InlineData("application/json", false)]
    public void Write_EmptyBody_BodyIsEmptyString(string? contentType, bool isBase64Encoded)
    {
        var headers = contentType is null ? new HeaderDictionary() : TextHeaders(contentType);

        var text = WriteText(Create(headers: headers));

        Assert.Contains($"\"body\":\"\",\"isBase64Encoded\":{(isBase64Encoded ? "true" : "false")}", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("application/octet-stream")]
    [InlineData("text/plain")]
    public void Write_AllByteValues_RoundTripThroughBase64(string? contentType)
    {
        var body = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var headers = contentType is null ? new HeaderDictionary() : TextHeaders(contentType);

        using var document = WriteDocument(Create(headers: headers, body: body));

        Assert.True(document.RootElement.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(Convert.ToBase64String(body), document.RootElement.GetProperty("body").GetString());
        Assert.Equal(body, document.RootElement.GetProperty("body").GetBytesFromBase64());
    }

    [Theory]
    [InlineData("echo.cn-hangzhou.fcapp.run", "echo")]
    [InlineData("example.cn-hangzhou.fcapp.run", "example")]
    [InlineData("localhost", "localhost")]
    [InlineData("api.example.com", "api")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("[::ffff:1.2.3.4]", "[::ffff:1.2.3.4]")]
    [InlineData("[::1]", "[::1]")]
    [InlineData("host-1.example.com", "host-1")]
    public void Write_DomainName_WrittenWithFirstLabelAsPrefix(string domainName, string domainPrefix)
    {
        using var document = WriteDocument(Create(domainName: domainName));
        var context = document.RootElement.GetProperty("requestContext");

        Assert.Equal(domainName, context.GetProperty("domainName").GetString());
        Assert.Equal(domainPrefix, context.GetProperty("domainPrefix").GetString());
    }

    [Theory]
    [InlineData("40.1.2.3", "40.1.2.3")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("::ffff:10.1.2.3", "10.1.2.3")]
    [InlineData("::1", "::1")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData(null, "")]
    public void Write_SourceIp_WrittenAsPeerAddress(string? sourceIp, string written)
    {
        using var document = WriteDocument(Create(sourceIp: sourceIp, forwardedFor: "x"));

        Assert.Equal(written, document.RootElement.GetProperty("requestContext").GetProperty("http").GetProperty("sourceIp").GetString());
    }

    [Fact]
    public void Write_SourceIp_NotTakenFromForwardedHeaders()
    {
        var headers = Headers(("X-Forwarded-For", "1.1.1.1"), ("X-Real-IP", "2.2.2.2"));

        using var document = WriteDocument(Create(headers: headers, sourceIp: "40.1.2.3", forwardedFor: "1.1.1.1, 40.1.2.3"));

        Assert.Equal("40.1.2.3", document.RootElement.GetProperty("requestContext").GetProperty("http").GetProperty("sourceIp").GetString());
    }

    [Theory]
    [InlineData("PostmanRuntime/7.32.3", "PostmanRuntime/7.32.3")]
    [InlineData("curl/8.7.1", "curl/8.7.1")]
    [InlineData(null, "")]
    public void Write_UserAgent_TakenFromHeader(string? userAgent, string written)
    {
        var headers = userAgent is null ? new HeaderDictionary() : Headers(("user-agent", userAgent));

        using var document = WriteDocument(Create(headers: headers));

        Assert.Equal(written, document.RootElement.GetProperty("requestContext").GetProperty("http").GetProperty("userAgent").GetString());
        if (userAgent is not null)
        {
            Assert.Equal(userAgent, document.RootElement.GetProperty("headers").GetProperty("User-Agent").GetString());
        }
    }

    [Theory]
    [InlineData("", "a", ",a")]
    [InlineData("a", "", "a,")]
    [InlineData("a", "b", "a,b")]
    public void Write_UserAgent_OfRepeatedLines_IsTheHeadersJoinedValue_EmptyLinesKeepingTheirPlace(string first, string second, string written)
    {
        // Built directly: HeaderDictionary.Append replaces an empty first value instead of keeping both lines.
        var headers = new HeaderDictionary { ["User-Agent"] = new StringValues([first, second]) };

        using var document = WriteDocument(Create(headers: headers));

        Assert.Equal(written, document.RootElement.GetProperty("headers").GetProperty("User-Agent").GetString());
        Assert.Equal(written, document.RootElement.GetProperty("requestContext").GetProperty("http").GetProperty("userAgent").GetString());
    }

    [Theory]
    [InlineData(1693896071895L, 0, "2023-09-05T06:41:11Z", "1693896071895")]
    [InlineData(1693896071895L, 8, "2023-09-05T06:41:11Z", "1693896071895")]
    [InlineData(1693896071895L, -5, "2023-09-05T06:41:11Z", "1693896071895")]
    [InlineData(1739515148145L, 0, "2025-02-14T06:39:08Z", "1739515148145")]
    [InlineData(0L, 0, "1970-01-01T00:00:00Z", "0")]
    [InlineData(1700000000999L, 0, "2023-11-14T22:13:20Z", "1700000000999")]
    public void Write_Time_IsUtcSecondsAndEpochMillisecondsString(long epochMilliseconds, int offsetHours, string time, string timeEpoch)
    {
        var instant = DateTimeOffset.FromUnixTimeMilliseconds(epochMilliseconds).ToOffset(TimeSpan.FromHours(offsetHours));
        var request = Create() with { Time = instant };

        var text = WriteText(request);
        using var document = JsonDocument.Parse(text);
        var context = document.RootElement.GetProperty("requestContext");

        Assert.Equal(time, context.GetProperty("time").GetString());
        Assert.Equal(JsonValueKind.String, context.GetProperty("timeEpoch").ValueKind);
        Assert.Equal(timeEpoch, context.GetProperty("timeEpoch").GetString());
        Assert.Contains($"\"timeEpoch\":\"{timeEpoch}\"", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("say \"hi\"", "say \\\"hi\\\"")]
    [InlineData("back\\slash", "back\\\\slash")]
    [InlineData("line1\nline2", "line1\\nline2")]
    [InlineData("a\tb", "a\\tb")]
    [InlineData("a\rb", "a\\rb")]
    [InlineData("a\u0001b", "a\\u0001b")]
    [InlineData("a\u001fb", "a\\u001fb")]
    [InlineData("<script>&'</script>", "<script>&'</script>")]
    [InlineData("é 中 😀", "é 中 😀")]
    [InlineData("a\u007fb", "a\u007fb")]
    [InlineData("a\u2028b", "a\u2028b")]
    [InlineData("+/=`", "+/=`")]
    public void Write_TextBody_EscapesOnlyWhatJsonRequires(string body, string escaped)
    {
        var text = WriteText(Create(headers: TextHeaders(), body: Encoding.UTF8.GetBytes(body)));
        using var document = JsonDocument.Parse(text);

        Assert.Contains($"\"body\":\"{escaped}\",", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0022", text, StringComparison.Ordinal);
        Assert.Equal(body, document.RootElement.GetProperty("body").GetString());
    }

    [Theory]
    [InlineData("say \"hi\"", "say \\\"hi\\\"")]
    [InlineData("é 中 😀", "é 中 😀")]
    [InlineData("<>&'", "<>&'")]
    [InlineData("a\u0001b", "a\\u0001b")]
    public void Write_HeaderAndQueryValues_EscapeOnlyWhatJsonRequires(string value, string escaped)
    {
        var query = new Dictionary<string, StringValues> { ["q"] = value };

        var text = WriteText(Create(headers: Headers(("x-value", value)), query: query));
        using var document = JsonDocument.Parse(text);

        Assert.Contains($"\"X-Value\":\"{escaped}\"", text, StringComparison.Ordinal);
        Assert.Contains($"\"q\":\"{escaped}\"", text, StringComparison.Ordinal);
        Assert.Equal(value, document.RootElement.GetProperty("headers").GetProperty("X-Value").GetString());
        Assert.Equal(value, document.RootElement.GetProperty("queryParameters").GetProperty("q").GetString());
    }

    [Fact]
    public void Write_NonAsciiText_StaysLiteralUtf8()
    {
        var bytes = WriteBytes(Create(headers: TextHeaders(), body: "é中😀"u8.ToArray()));

        Assert.NotEqual(-1, bytes.AsSpan().IndexOf("\"body\":\"é中😀\""u8));
        Assert.Equal(-1, bytes.AsSpan().IndexOf("\\u"u8));
    }

    [Theory]
    [InlineData(16 * 1024 + 1)]
    [InlineData(3 * 16 * 1024)]
    [InlineData(100_000)]
    public void Write_LargeTextBody_RoundTripsExactly(int minimumLength)
    {
        var body = LargeText(minimumLength);
        var bytes = Encoding.UTF8.GetBytes(body);

        var text = WriteText(Create(headers: TextHeaders("text/plain; charset=utf-8"), body: bytes));
        using var document = JsonDocument.Parse(text);

        Assert.False(document.RootElement.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(body, document.RootElement.GetProperty("body").GetString());
        Assert.DoesNotContain("\\u", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\uFFFD", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("é")]
    [InlineData("中")]
    [InlineData("😀")]
    [InlineData("\n")]
    [InlineData("\\")]
    public void Write_CharacterStraddlingSegmentBoundary_RoundTripsExactly(string straddler)
    {
        var straddlerBytes = Encoding.UTF8.GetByteCount(straddler);
        var builder = new StringBuilder();
        for (var boundary = 1; boundary <= 3; boundary++)
        {
            // Each multi-byte character starts one byte before a 16 KiB boundary, so it is split across segments.
            var target = (boundary * 16 * 1024) - 1;
            builder.Append('a', target - Encoding.UTF8.GetByteCount(builder.ToString()));
            builder.Append(straddler);
        }

        builder.Append("end");
        var body = builder.ToString();
        var bytes = Encoding.UTF8.GetBytes(body);
        Assert.True(straddlerBytes == 1 || bytes[(16 * 1024) - 1] >= 0xC0);

        using var document = WriteDocument(Create(headers: TextHeaders("application/json"), body: bytes));

        Assert.False(document.RootElement.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(body, document.RootElement.GetProperty("body").GetString());
    }

    [Fact]
    public void Write_LargeBinaryBody_RoundTripsThroughBase64()
    {
        var body = new byte[200_000];
        new Random(42).NextBytes(body);

        using var document = WriteDocument(Create(headers: TextHeaders("application/octet-stream"), body: body));

        Assert.Equal(body, document.RootElement.GetProperty("body").GetBytesFromBase64());
    }

    [Fact]
    public void Write_IntoPooledBuffer_WritesTheSameBytes()
    {
        var request = Create(headers: TextHeaders(), body: Encoding.UTF8.GetBytes(LargeText(40_000)));
        using var buffer = new PooledBuffer(256);

        HttpTriggerEventWriter.Write(buffer, request);

        Assert.Equal(WriteBytes(request), buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Write_TwiceOnOneThread_EachOutputHoldsOnlyItsOwnEvent()
    {
        var first = new System.Buffers.ArrayBufferWriter<byte>();
        var second = new System.Buffers.ArrayBufferWriter<byte>();

        HttpTriggerEventWriter.Write(first, Create(rawPath: "/first"));
        HttpTriggerEventWriter.Write(second, Create(rawPath: "/second"));

        using var firstDocument = JsonDocument.Parse(first.WrittenMemory);
        using var secondDocument = JsonDocument.Parse(second.WrittenMemory);
        Assert.Equal("/first", firstDocument.RootElement.GetProperty("rawPath").GetString());
        Assert.Equal("/second", secondDocument.RootElement.GetProperty("rawPath").GetString());
    }

    [Fact]
    public void Write_SeedGetExample_MatchesSeedEvent()
    {
        const string Seed = """
            {"version":"v1","rawPath":"/","headers":{"Accept":"*/*","User-Agent":"CurlHttpClient"},"queryParameters":{"parameter1":"value1","parameter2":"value2"},"body":"","isBase64Encoded":true,"requestContext":{"accountId":"1327**********","domainName":"example.cn-hangzhou.fcapp.run","domainPrefix":"example","requestId":"1-67aee50c-****-**********","time":"2025-02-14T06:39:08Z","timeEpoch":"1739515148145","http":{"method":"GET","path":"/","protocol":"HTTP/1.1","sourceIp":"40.XX.XX.XX","userAgent":"CurlHttpClient"}}}
            """;
        var request = SeedRequest("GET", Headers(("Accept", "*/*"), ("User-Agent", "CurlHttpClient")), [], new QueryCollection(new Dictionary<string, StringValues>
        {
            ["parameter1"] = "value1",
            ["parameter2"] = "value2",
        }));

        AssertMatchesSeed(Seed, request);
    }

    /// <remarks>
    /// The seed's POST example gives <c>userAgent</c> as <c>CurlHttpClient</c> although the request's
    /// User-Agent is <c>curl/8.7.1</c> (copied from the GET example); the contract takes <c>userAgent</c>
    /// from the header, so the expected value follows the header.
    /// </remarks>
    [Fact]
    public void Write_SeedPostExample_MatchesSeedEvent()
    {
        const string Seed = """
            {"version":"v1","rawPath":"/","headers":{"Accept":"*/*","Content-Length":"20","Content-Type":"application/json","User-Agent":"curl/8.7.1"},"queryParameters":{},"body":"{\"message\": \"Hello\"}","isBase64Encoded":false,"requestContext":{"accountId":"1327**********","domainName":"example.cn-hangzhou.fcapp.run","domainPrefix":"example","requestId":"1-67aee50c-****-**********","time":"2025-02-14T06:39:08Z","timeEpoch":"1739515148145","http":{"method":"POST","path":"/","protocol":"HTTP/1.1","sourceIp":"40.XX.XX.XX","userAgent":"CurlHttpClient"}}}
            """;
        var headers = Headers(("Accept", "*/*"), ("Content-Length", "20"), ("Content-Type", "application/json"), ("User-Agent", "curl/8.7.1"));
        var request = SeedRequest("POST", headers, "{\"message\": \"Hello\"}"u8.ToArray(), QueryCollection.Empty);

        var text = WriteText(request);

        AssertMatchesSeed(Seed, request, userAgent: "curl/8.7.1");
        Assert.Contains("\"body\":\"{\\\"message\\\": \\\"Hello\\\"}\"", text, StringComparison.Ordinal);
    }

    private static EventRequest SeedRequest(string method, HeaderDictionary headers, byte[] body, IQueryCollection query) =>
        Create(
            headers: headers,
            query: query,
            body: body,
            method: method,
            domainName: "example.cn-hangzhou.fcapp.run",
            sourceIp: "40.10.20.30",
            forwardedFor: "40.10.20.30") with
        {
            AccountId = "1327**********",
            RequestId = "1-67aee50c-****-**********",
            Time = DateTimeOffset.FromUnixTimeMilliseconds(1739515148145),
        };

    private static void AssertMatchesSeed(string seed, in EventRequest request, string? userAgent = null)
    {
        var expected = JsonNode.Parse(seed)!.AsObject();
        expected["headers"]!.AsObject()["X-Forwarded-For"] = "40.10.20.30";
        var http = expected["requestContext"]!["http"]!.AsObject();
        http["sourceIp"] = "40.10.20.30";
        if (userAgent is not null)
        {
            http["userAgent"] = userAgent;
        }

        var actual = JsonNode.Parse(WriteBytes(request))!;

        Assert.True(JsonNode.DeepEquals(expected, actual), $"Expected {expected.ToJsonString()}{Environment.NewLine}Actual   {actual.ToJsonString()}");
    }

    /// <summary>Text of at least <paramref name="minimumLength"/> UTF-8 bytes mixing quotes, escapes and 2-, 3- and 4-byte characters.</summary>
    private static string LargeText(int minimumLength)
    {
        var builder = new StringBuilder();
        var length = 0;
        for (var i = 0; length < minimumLength; i++)
        {
            var piece = $"{i} \"quoted\" é中😀 \\ <&> \n\t";
            builder.Append(piece);
            length += Encoding.UTF8.GetByteCount(piece);
        }

        return builder.ToString();
    }
}
