using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// A gateway run with .NET's inline socket completions and a single thread polling its sockets: Kestrel then runs every
/// request on that thread, so nothing a request waits for may itself need it — a launch, the pulled function's polls and
/// replies (HTTP/2), bodies that take many reads, an output large enough to be translated on the thread pool, a web
/// function's request and response through YARP's forwarder, the invocation API (an asynchronous invocation included),
/// clients over HTTP/1.1 and over HTTP/2 without TLS, a reload of the settings file and SIGTERM's drain, each with a
/// request in flight.
/// </summary>
public sealed class InlineSocketCompletionsTests
{
    private const string InlineSocketIoLine = "Inline socket I/O: the clients' requests run on the threads that poll their sockets";

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
        Assert.DoesNotContain(gateway.Output, line => line.Contains("will not be stopped if the gateway is killed", StringComparison.Ordinal));
        Assert.Contains(gateway.Output, line => line.Contains(InlineSocketIoLine, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutTheVariable_TheStartupSummarySaysNothingOfInlineSocketIo()
    {
        using var gateway = await GatewayProcess.StartAsync(LaunchedSampleSettings.HttpEcho(), "--urls", "http://127.0.0.1:0");

        // The summary is written once the host has started, which may be just after Kestrel's own "Now listening on".
        await Eventually.HoldsAsync(() => gateway.Output.Any(line => line.Contains("Function 'pulled': routes", StringComparison.Ordinal)), TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(gateway.Output, line => line.Contains(InlineSocketIoLine, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Http1")]
    [InlineData("Http2")]
    public async Task OneInlineSocketThread_ServesWebAndEventFunctionsAndTheInvokeApi_ConcurrentAndLarge(string protocols)
    {
        var largeOutputBody = new string('o', 100_000);
        await using var worker = await TestWorker.StartAsync(async (context, received) =>
        {
            if (received.Path == "/invoke")
            {
                await TestWorker.Reply(context, 200, $"{{\"statusCode\":200,\"body\":\"{largeOutputBody}\"}}", fcStatus: "200");
                return;
            }

            await context.Response.Body.WriteAsync(received.Body);
        });
        var config = new GatewayConfiguration().WithFunction("web", worker.Url).WithFunction("event", worker.Url)
            .Set("ReverseProxy:Routes:web:Metadata:TriggerMode", "web")
            .Set("Kestrel:EndpointDefaults:Protocols", protocols);
        using var gateway = await GatewayProcess.StartAsync(config.Values, new Dictionary<string, object>(), OneInlineSocketThread, "--urls", "http://127.0.0.1:0");
        var version = protocols == "Http2" ? HttpVersion.Version20 : HttpVersion.Version11;
        using var client = new HttpClient
        {
            BaseAddress = new Uri(gateway.Url),
            Timeout = TimeSpan.FromSeconds(60),
            DefaultRequestVersion = version,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        var large = RandomNumberGenerator.GetBytes(1024 * 1024);

        var webEchoes = Enumerable.Range(0, 4).Select(i => PostAsync(client, "/web/echo", large[..(1000 * (i + 1))])).ToList();
        var largeWebEcho = PostAsync(client, "/web/echo", large);
        var events = Enumerable.Range(0, 4).Select(_ => PostAsync(client, "/event/", large[..(256 * 1024)])).ToList();
        var invocation = PostAsync(client, "/2023-03-30/functions/event/invocations", large[..(256 * 1024)]);
        using var asyncInvocation = new HttpRequestMessage(HttpMethod.Post, "/2023-03-30/functions/event/invocations")
        {
            Content = new StringContent("async marker"),
            Version = version,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        asyncInvocation.Headers.Add("x-fc-invocation-type", "Async");
        using var accepted = await client.SendAsync(asyncInvocation);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(Enumerable.Range(0, 4).Select(i => large[..(1000 * (i + 1))]), await Task.WhenAll(webEchoes));
        Assert.Equal(large, await largeWebEcho);
        Assert.All(await Task.WhenAll(events), body => Assert.Equal(largeOutputBody, System.Text.Encoding.UTF8.GetString(body)));
        Assert.Equal($"{{\"statusCode\":200,\"body\":\"{largeOutputBody}\"}}", System.Text.Encoding.UTF8.GetString(await invocation));
        await Eventually.HoldsAsync(() => worker.Received.Any(request => request.Body.AsSpan().SequenceEqual("async marker"u8)));
    }

    [Fact]
    public async Task OneInlineSocketThread_SigtermDrainsARequestInFlight_AndExitsZero()
    {
        var release = new TaskCompletionSource();
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await TestWorker.Reply(context, 200, "finished", "200");
        });
        var config = new GatewayConfiguration().WithFunction("echo", worker.Url).Set("Gateway:DrainTimeout", "00:00:20");
        using var gateway = await GatewayProcess.StartAsync(config.Values, new Dictionary<string, object>(), OneInlineSocketThread, "--urls", "http://127.0.0.1:0");
        using var client = new HttpClient { BaseAddress = new Uri(gateway.Url), Timeout = TimeSpan.FromSeconds(60) };

        var inFlight = client.GetAsync("/echo/");
        await Eventually.HoldsAsync(() => !worker.Received.IsEmpty);
        gateway.SendSignal("TERM");
        await Eventually.HoldsAsync(async () => !await gateway.AcceptsConnectionsAsync());
        release.SetResult();

        using var response = await inFlight;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("finished", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await gateway.WaitForExitAsync());
    }

    [Fact]
    public async Task OneInlineSocketThread_ReloadsItsSettingsFile_WhileARequestIsInFlight()
    {
        var release = new TaskCompletionSource();
        var calls = 0;
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }

            await TestWorker.Reply(context, 200, "finished", "200");
        });
        var config = new GatewayConfiguration().WithFunction("echo", worker.Url).Set("Gateway:Functions:echo:InstanceConcurrency", "4");
        using var gateway = await GatewayProcess.StartAsync(config.Values, new Dictionary<string, object>(), OneInlineSocketThread, "--urls", "http://127.0.0.1:0");
        using var client = new HttpClient { BaseAddress = new Uri(gateway.Url), Timeout = TimeSpan.FromSeconds(60) };

        var inFlight = client.GetAsync("/echo/");
        await Eventually.HoldsAsync(() => !worker.Received.IsEmpty);
        await gateway.WriteSettingsAsync(config.Set("ReverseProxy:Routes:echo:Match:Path", "/moved/{**rest}").Values);
        await Eventually.HoldsAsync(async () =>
        {
            using var moved = await client.GetAsync("/moved/");
            return moved.StatusCode == HttpStatusCode.OK;
        });
        release.SetResult();

        using var response = await inFlight;
        using var oldPath = await client.GetAsync("/echo/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("finished", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, oldPath.StatusCode);
    }

    private static async Task<byte[]> PostAsync(HttpClient client, string path, byte[] body)
    {
        using var content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } };
        using var response = await client.PostAsync(path, content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task<string> EchoAsync(HttpClient client, string text)
    {
        using var response = await client.PostAsync("/pulled/", new StringContent(text));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
