using System.Text.Json;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using static Gateway.Tests.Events.EventRequests;

namespace Gateway.Tests.Events;

/// <summary>The event's <c>headers</c>: names in Go's canonical form, repeated values joined, hop-by-hop and reserved ones left out, X-Forwarded-For written once.</summary>
public sealed class HttpTriggerEventHeaderTests
{
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
}
