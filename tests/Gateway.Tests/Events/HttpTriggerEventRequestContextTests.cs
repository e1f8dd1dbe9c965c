using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using static Gateway.Tests.Events.EventRequests;

namespace Gateway.Tests.Events;

/// <summary>The event's <c>rawPath</c> and <c>requestContext</c>: path, method, domain, source address, user agent and time.</summary>
public sealed class HttpTriggerEventRequestContextTests
{
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
}
