using FcGateway.Dialects.FcV1.Events;

namespace Gateway.Tests.Events;

public sealed class EventBodyEncodingTests
{
    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/html")]
    [InlineData("text/css")]
    [InlineData("text/x-anything")]
    [InlineData("application/json")]
    [InlineData("application/ld+json")]
    [InlineData("application/xhtml+xml")]
    [InlineData("application/xml")]
    [InlineData("application/atom+xml")]
    [InlineData("application/javascript")]
    [InlineData("APPLICATION/JSON")]
    [InlineData("Text/Plain")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json;charset=utf-8")]
    [InlineData("text/plain ; charset=\"utf-8\"")]
    [InlineData(" application/xml ")]
    public void IsTextMediaType_ListedType_IsText(string contentType)
    {
        Assert.True(EventBodyEncoding.IsTextMediaType(contentType));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("application/octet-stream")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("image/png")]
    [InlineData("multipart/form-data; boundary=abc")]
    [InlineData("application/problem+json")]
    [InlineData("application/json-seq")]
    [InlineData("application/jsonp")]
    [InlineData("application/rss+xml")]
    [InlineData("text")]
    [InlineData("text/")]
    [InlineData("texts/plain")]
    [InlineData("; charset=utf-8")]
    public void IsTextMediaType_OtherOrMissingType_IsNotText(string? contentType)
    {
        Assert.False(EventBodyEncoding.IsTextMediaType(contentType));
    }

    [Theory]
    [InlineData("text/plain", new byte[0], false)]
    [InlineData("text/plain", new byte[] { (byte)'h', (byte)'i' }, false)]
    [InlineData("application/json", new byte[] { 0xC3, 0xA9 }, false)]
    [InlineData("application/json", new byte[] { 0xF0, 0x9F, 0x98, 0x80 }, false)]
    [InlineData("text/plain", new byte[] { 0xFF }, true)]
    [InlineData("text/plain", new byte[] { 0xC3 }, true)]
    [InlineData("text/plain", new byte[] { 0xED, 0xA0, 0x80 }, true)]
    [InlineData("text/plain", new byte[] { 0xC0, 0xAF }, true)]
    [InlineData("application/octet-stream", new byte[] { (byte)'h', (byte)'i' }, true)]
    [InlineData(null, new byte[0], true)]
    [InlineData(null, new byte[] { (byte)'h', (byte)'i' }, true)]
    public void IsBase64Encoded_TypeAndBody_Decides(string? contentType, byte[] body, bool isBase64Encoded)
    {
        Assert.Equal(isBase64Encoded, EventBodyEncoding.IsBase64Encoded(contentType, body));
    }
}
