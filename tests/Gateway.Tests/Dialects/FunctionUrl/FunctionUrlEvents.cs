using System.Text.Json;
using FcGateway.Buffers;
using FcGateway.Dialects;
using FcGateway.Dialects.FunctionUrl;

namespace Gateway.Tests.Dialects.FunctionUrl;

/// <summary>Writes function URL events (and other dialects' events) through the dialect, as the gateway sends them, and parses them.</summary>
internal static class FunctionUrlEvents
{
    /// <summary>The payload's bytes, after checking that its Content-Length is exact.</summary>
    public static Task<byte[]> WriteBytesAsync(EventRequest request) => WriteBytesAsync(new FunctionUrlDialect(), request);

    /// <summary>The payload <paramref name="dialect"/> writes, after checking that its Content-Length is exact.</summary>
    public static async Task<byte[]> WriteBytesAsync(IFunctionDialect dialect, EventRequest request)
    {
        using var head = new PooledBuffer(256);
        using var payload = dialect.CreatePayload(request, head);
        var bytes = await payload.ReadAsByteArrayAsync();
        Assert.Equal(bytes.Length, payload.Headers.ContentLength);
        return bytes;
    }

    /// <summary>The payload parsed, which fails the test when it is not valid JSON.</summary>
    public static async Task<JsonDocument> WriteDocumentAsync(EventRequest request) => JsonDocument.Parse(await WriteBytesAsync(request));

    public static JsonElement RequestContext(this JsonDocument document) => document.RootElement.GetProperty("requestContext");

    public static JsonElement Http(this JsonDocument document) => document.RequestContext().GetProperty("http");
}
