using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// A gateway run with .NET's inline socket completions and a single thread polling its sockets: Kestrel then runs every
/// request on that thread, so nothing a request waits for may itself need it — a launch, the pulled function's polls and
/// replies (HTTP/2), bodies that take many reads, an output large enough to be translated on the thread pool.
/// </summary>
public sealed class InlineSocketCompletionsTests
{
    private static readonly Dictionary<string, string> OneInlineSocketThread = new()
    {
        ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1",
        ["DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT"] = "1",
    };

    [Fact]
    public async Task OneInlineSocketThread_ServesALaunchedFunctionsConcurrentAndLargeInvocations()
    {
        using var gateway = await GatewayProcess.StartAsync(
            LaunchedSampleSettings.HttpEcho(), new Dictionary<string, object>(), OneInlineSocketThread, "--urls", "http://127.0.0.1:0");
        using var client = new HttpClient { BaseAddress = new Uri(gateway.Url), Timeout = TimeSpan.FromSeconds(60) };
        var large = RandomNumberGenerator.GetBytes(1024 * 1024);
        using var largeBody = new ByteArrayContent(large) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } };

        var smallEchoes = Enumerable.Range(0, 8).Select(i => EchoAsync(client, $"hello {i}")).ToList();
        using var largeResponse = await client.PostAsync("/pulled/", largeBody);

        Assert.Equal(HttpStatusCode.OK, largeResponse.StatusCode);
        Assert.Equal(large, await largeResponse.Content.ReadAsByteArrayAsync());
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"hello {i}"), await Task.WhenAll(smallEchoes));
    }

    private static async Task<string> EchoAsync(HttpClient client, string text)
    {
        using var response = await client.PostAsync("/pulled/", new StringContent(text));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
