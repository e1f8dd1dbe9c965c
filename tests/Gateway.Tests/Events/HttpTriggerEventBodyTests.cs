using System.Text.Json;
using System.Text;
using Microsoft.AspNetCore.Http;
using static Gateway.Tests.Events.EventRequests;

namespace Gateway.Tests.Events;

/// <summary>The event's <c>body</c> and <c>isBase64Encoded</c>: text media types as text when UTF-8, anything else base64, any size.</summary>
public sealed class HttpTriggerEventBodyTests
{
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
}
