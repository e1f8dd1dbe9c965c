using System.Text;
using System.Text.Json;
using FcGateway.Buffers;
using FcGateway.Dialects.FcV1;
using Gateway.Tests.Events;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Dialects;

/// <summary>The FC v1 dialect on its own, without a web server: request description in, payload bytes out; output in, response out.</summary>
public sealed class FcV1DialectTests
{
    [Fact]
    public async Task CreatePayload_IsTheEventWithItsBody_AndAnExactLength()
    {
        var request = EventRequests.Create(
            headers: EventRequests.Headers(("Content-Type", "text/plain")),
            body: Encoding.UTF8.GetBytes("Hello FC!"),
            rawPath: "/echo/a%20b",
            method: "POST");
        using var head = new PooledBuffer(256);

        using var payload = new FcV1Dialect().CreatePayload(request, head);
        var bytes = await payload.ReadAsByteArrayAsync();

        Assert.Equal(bytes.Length, payload.Headers.ContentLength);
        using var document = JsonDocument.Parse(bytes);
        Assert.Equal("v1", document.RootElement.GetProperty("version").GetString());
        Assert.Equal("/echo/a%20b", document.RootElement.GetProperty("rawPath").GetString());
        Assert.Equal("Hello FC!", document.RootElement.GetProperty("body").GetString());
        Assert.False(document.RootElement.GetProperty("isBase64Encoded").GetBoolean());
    }

    [Theory]
    [InlineData("""{"statusCode":201,"headers":{"X-A":"1"},"body":"made"}""", 201, "made", "1")]
    [InlineData("plain text", 200, "plain text", null)]
    public void TranslateOutput_FollowsTheOutputRules(string output, int status, string body, string? header)
    {
        var headers = new HeaderDictionary();

        var translation = new FcV1Dialect().TranslateOutput(Encoding.UTF8.GetBytes(output), headers, 8192);

        Assert.True(translation.IsValid);
        Assert.Equal(status, translation.StatusCode);
        Assert.Equal(body, Encoding.UTF8.GetString(translation.Body.Span));
        Assert.Equal(header, headers.TryGetValue("X-A", out var value) ? value.ToString() : null);
    }
}
