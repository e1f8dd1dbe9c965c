using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Infrastructure;

/// <summary>What a test worker received.</summary>
public sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public static async Task<ReceivedRequest> ReadAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        return new ReceivedRequest(request.Method, request.Path.Value ?? "", headers, body.ToArray());
    }

    /// <summary>The event the gateway posted, parsed (tests may use a DOM; the gateway may not).</summary>
    public JsonElement Event => JsonDocument.Parse(Body).RootElement;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
