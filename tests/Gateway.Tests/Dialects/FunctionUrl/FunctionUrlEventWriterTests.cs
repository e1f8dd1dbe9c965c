using System.Text;
using System.Text.Json;
using FcGateway.Dialects.FcV1.Events;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using static Gateway.Tests.Dialects.FunctionUrl.FunctionUrlEvents;
using static Gateway.Tests.Events.EventRequests;

namespace Gateway.Tests.Dialects.FunctionUrl;

/// <summary>The function URL event, payload format 2.0 (wire contract §14), field by field.</summary>
public sealed class FunctionUrlEventWriterTests
{
    [Fact]
    public async Task Write_AnyRequest_HasThePayload20Fields()
    {
        using var document = await WriteDocumentAsync(Create());
        var root = document.RootElement;

        Assert.Equal(
            ["body", "headers", "isBase64Encoded", "rawPath", "rawQueryString", "requestContext", "routeKey", "version"],
            PropertyNames(root).Order(StringComparer.Ordinal));
        Assert.Equal(
            ["accountId", "apiId", "domainName", "domainPrefix", "http", "requestId", "routeKey", "stage", "time", "timeEpoch"],
            PropertyNames(document.RequestContext()).Order(StringComparer.Ordinal));
        Assert.Equal(["method", "path", "protocol", "sourceIp", "userAgent"], PropertyNames(document.Http()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Write_FixedFields_AreVersionRouteKeyAndStage()
    {
        var bytes = await WriteBytesAsync(Create());
        using var document = JsonDocument.Parse(bytes);

        Assert.Equal("2.0", document.RootElement.GetProperty("version").GetString());
        Assert.Equal("$default", document.RootElement.GetProperty("routeKey").GetString());
        Assert.Equal("$default", document.RequestContext().GetProperty("routeKey").GetString());
        Assert.Equal("$default", document.RequestContext().GetProperty("stage").GetString());
        Assert.Contains("\"routeKey\":\"$default\"", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_RequestContext_CarriesAccountRequestIdAndHttp()
    {
        var request = Create(headers: Headers(("User-Agent", "curl/8.5.0")), rawPath: "/a%20b/%E4%B8%AD", method: "PATCH");

        using var document = await WriteDocumentAsync(request);

        Assert.Equal("/a%20b/%E4%B8%AD", document.RootElement.GetProperty("rawPath").GetString());
        Assert.Equal("1234567890", document.RequestContext().GetProperty("accountId").GetString());
        Assert.Equal("1-64f6cd87-e01edb1cce58240ed59b59d9", document.RequestContext().GetProperty("requestId").GetString());
        Assert.Equal("PATCH", document.Http().GetProperty("method").GetString());
        Assert.Equal("/a b/中", document.Http().GetProperty("path").GetString());
        Assert.Equal("HTTP/1.1", document.Http().GetProperty("protocol").GetString());
        Assert.Equal("curl/8.5.0", document.Http().GetProperty("userAgent").GetString());
    }

    [Theory]
    [InlineData("X-Custom-Header", "x-custom-header")]
    [InlineData("Content-Type", "content-type")]
    [InlineData("USER-AGENT", "user-agent")]
    [InlineData("ETag", "etag")]
    [InlineData("x-real-ip", "x-real-ip")]
    public async Task Write_HeaderName_LowerCase(string name, string lowerCase)
    {
        using var document = await WriteDocumentAsync(Create(headers: Headers((name, "value"))));
        var headers = document.RootElement.GetProperty("headers");

        Assert.Equal([lowerCase, "x-forwarded-for"], PropertyNames(headers));
        Assert.Equal("value", headers.GetProperty(lowerCase).GetString());
    }

    [Fact]
    public async Task Write_HeaderNameLongerThanStackLimit_LowerCase()
    {
        var name = "X-" + new string('A', 300);

        using var document = await WriteDocumentAsync(Create(headers: Headers((name, "v"))));

        Assert.Equal("v", document.RootElement.GetProperty("headers").GetProperty(name.ToLowerInvariant()).GetString());
    }

    [Theory]
    [InlineData(new[] { "a", "b" }, "a,b")]
    [InlineData(new[] { "a, b", "c" }, "a, b,c")]
    [InlineData(new[] { "a", "", "b" }, "a,,b")]
    public async Task Write_RepeatedHeader_JoinedWithComma(string[] values, string joined)
    {
        var headers = Headers();
        headers.Append("X-Multi", new StringValues(values));

        using var document = await WriteDocumentAsync(Create(headers: headers));

        Assert.Equal(joined, document.RootElement.GetProperty("headers").GetProperty("x-multi").GetString());
    }

    [Fact]
    public async Task Write_Host_KeptInHeaders()
    {
        using var document = await WriteDocumentAsync(Create(headers: Headers(("Host", "abc.lambda-url.us-east-1.on.aws"))));

        Assert.Equal("abc.lambda-url.us-east-1.on.aws", document.RootElement.GetProperty("headers").GetProperty("host").GetString());
    }

    [Theory]
    [InlineData("Cookie", "a=1")]
    [InlineData("Connection", "keep-alive")]
    [InlineData("Keep-Alive", "timeout=5")]
    [InlineData("Transfer-Encoding", "chunked")]
    [InlineData("Trailer", "X-Checksum")]
    [InlineData("x-fc-request-id", "forged")]
    [InlineData("X-Fc-Access-Key-Id", "forged")]
    public async Task Write_OmittedHeader_NotInHeaders(string name, string value)
    {
        using var document = await WriteDocumentAsync(Create(headers: Headers((name, value), ("X-Kept", "1"))));

        Assert.Equal(["x-kept", "x-forwarded-for"], PropertyNames(document.RootElement.GetProperty("headers")));
    }

    [Theory]
    [InlineData(null, "40.1.2.3")]
    [InlineData("1.1.1.1", "1.1.1.1, 40.1.2.3")]
    public async Task Write_XForwardedFor_WrittenOnceAsTheGatewayComputedIt(string? received, string forwardedFor)
    {
        var headers = received is null ? Headers() : Headers(("X-Forwarded-For", received));

        var text = Encoding.UTF8.GetString(await WriteBytesAsync(Create(headers: headers, forwardedFor: forwardedFor)));
        using var document = JsonDocument.Parse(text);

        Assert.Equal(forwardedFor, document.RootElement.GetProperty("headers").GetProperty("x-forwarded-for").GetString());
        Assert.Single(PropertyNames(document.RootElement.GetProperty("headers")), "x-forwarded-for");
    }

    [Theory]
    [InlineData(new[] { "a=1" }, new[] { "a=1" })]
    [InlineData(new[] { "a=1; b=2" }, new[] { "a=1", "b=2" })]
    [InlineData(new[] { "a=1; b=2", "c=3" }, new[] { "a=1", "b=2", "c=3" })]
    [InlineData(new[] { "a=1; " }, new[] { "a=1" })]
    [InlineData(new[] { "session=x=y; theme=\"dark\"" }, new[] { "session=x=y", "theme=\"dark\"" })]
    [InlineData(new[] { "a=1;b=2" }, new[] { "a=1;b=2" })]
    [InlineData(new[] { "; ;", "", "a=1" }, new[] { "a=1" })]
    public async Task Write_CookieHeaders_SplitIntoCookies(string[] cookieHeaders, string[] cookies)
    {
        var headers = Headers();
        headers.Append("Cookie", new StringValues(cookieHeaders));

        using var document = await WriteDocumentAsync(Create(headers: headers));

        Assert.Equal(cookies, document.RootElement.GetProperty("cookies").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task Write_NoCookieHeader_NoCookiesField()
    {
        using var document = await WriteDocumentAsync(Create(headers: Headers(("X-A", "1"))));

        Assert.False(document.RootElement.TryGetProperty("cookies", out _));
    }

    [Theory]
    [InlineData(new object[] { new[] { "" } })]
    [InlineData(new object[] { new[] { "; ;" } })]
    [InlineData(new object[] { new[] { "; ; " } })]
    [InlineData(new object[] { new[] { "", " ; " } })]
    public async Task Write_CookieHeadersWithoutACookie_NoCookiesField(string[] cookieHeaders)
    {
        // Set, not appended: Append skips an empty value, and an empty Cookie header is what a client may send.
        var headers = Headers();
        headers["Cookie"] = new StringValues(cookieHeaders);

        using var document = await WriteDocumentAsync(Create(headers: headers));

        Assert.False(document.RootElement.TryGetProperty("cookies", out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a=1")]
    [InlineData("q=a%20b+c&q=d&flag")]
    public async Task Write_RawQueryString_AsReceived(string rawQueryString)
    {
        using var document = await WriteDocumentAsync(Create(rawQueryString: rawQueryString));

        Assert.Equal(rawQueryString, document.RootElement.GetProperty("rawQueryString").GetString());
    }

    [Fact]
    public async Task Write_Query_DecodedAndRepeatedValuesJoined()
    {
        var query = QueryHelpers.ParseQuery("?q=a%20b&q=c&%C3%A9=%E4%B8%AD&flag");

        using var document = await WriteDocumentAsync(Create(query: query));
        var parameters = document.RootElement.GetProperty("queryStringParameters");

        Assert.Equal("a b,c", parameters.GetProperty("q").GetString());
        Assert.Equal("中", parameters.GetProperty("é").GetString());
        Assert.Equal("", parameters.GetProperty("flag").GetString());
    }

    [Fact]
    public async Task Write_NoQuery_NoQueryStringParametersField()
    {
        using var document = await WriteDocumentAsync(Create(query: QueryHelpers.ParseQuery("")));

        Assert.False(document.RootElement.TryGetProperty("queryStringParameters", out _));
    }

    [Theory]
    [InlineData(1693896071895, "05/Sep/2023:06:41:11 +0000")]
    [InlineData(1704067199999, "31/Dec/2023:23:59:59 +0000")]
    [InlineData(946684800000, "01/Jan/2000:00:00:00 +0000")]
    public async Task Write_Time_IsUtcInTheFunctionUrlFormatAndTimeEpochANumber(long unixMilliseconds, string time)
    {
        var instant = DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).ToOffset(TimeSpan.FromHours(8));

        using var document = await WriteDocumentAsync(Create() with { Time = instant });
        var timeEpoch = document.RequestContext().GetProperty("timeEpoch");

        Assert.Equal(time, document.RequestContext().GetProperty("time").GetString());
        Assert.Equal(JsonValueKind.Number, timeEpoch.ValueKind);
        Assert.Equal(unixMilliseconds, timeEpoch.GetInt64());
    }

    [Theory]
    [InlineData("abcdefgh123.lambda-url.us-east-1.on.aws", "abcdefgh123")]
    [InlineData("echo.cn-hangzhou.fcapp.run", "echo")]
    [InlineData("localhost", "localhost")]
    public async Task Write_DomainName_ApiIdAndDomainPrefixAreItsFirstLabel(string domainName, string prefix)
    {
        using var document = await WriteDocumentAsync(Create(domainName: domainName));

        Assert.Equal(domainName, document.RequestContext().GetProperty("domainName").GetString());
        Assert.Equal(prefix, document.RequestContext().GetProperty("domainPrefix").GetString());
        Assert.Equal(prefix, document.RequestContext().GetProperty("apiId").GetString());
    }

    [Theory]
    [InlineData("40.1.2.3", "40.1.2.3")]
    [InlineData("::ffff:40.1.2.3", "40.1.2.3")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData(null, "")]
    public async Task Write_SourceIp_IsThePeerWithMappedIPv4ShownAsIPv4(string? peer, string sourceIp)
    {
        using var document = await WriteDocumentAsync(Create(sourceIp: peer));

        Assert.Equal(sourceIp, document.Http().GetProperty("sourceIp").GetString());
    }

    [Theory]
    [InlineData("text/plain; charset=utf-8", "Hello, Lambda! é \"q\"", false)]
    [InlineData("application/json", "{\"a\":[1,2]}", false)]
    [InlineData("application/octet-stream", "Hello", true)]
    [InlineData(null, "Hello", true)]
    [InlineData("text/plain", "", false)]
    [InlineData(null, "", true)]
    public async Task Write_Body_TextAsIsAndOtherTypesBase64(string? contentType, string body, bool base64)
    {
        var headers = contentType is null ? Headers() : Headers(("Content-Type", contentType));
        var bytes = Encoding.UTF8.GetBytes(body);

        using var document = await WriteDocumentAsync(Create(headers: headers, body: bytes));

        Assert.Equal(base64, document.RootElement.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(base64 ? Convert.ToBase64String(bytes) : body, document.RootElement.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Write_BodyLargerThanInlineBytes_StreamedWhole()
    {
        var body = Enumerable.Range(0, EventContent.InlineBodyBytes + 7).Select(i => (byte)i).ToArray();

        using var document = await WriteDocumentAsync(Create(headers: Headers(("Content-Type", "image/png")), body: body));

        Assert.Equal(body, document.RootElement.GetProperty("body").GetBytesFromBase64());
        Assert.True(document.RootElement.GetProperty("isBase64Encoded").GetBoolean());
    }
}
