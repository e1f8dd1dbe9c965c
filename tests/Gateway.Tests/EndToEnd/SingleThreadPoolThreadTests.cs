using System.Net;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// A gateway whose thread pool has one thread: what a request's thread waits for must not itself need a pool thread.
/// The first launch looks for setpriv from a request's thread, holding its function's pool lock while other requests
/// queue for it. Had it waited for asynchronous reads of setpriv's help, their completion would have needed another
/// pool thread: on a cold two-core gateway, a burst of first requests waited up to a second for the pool to grow, and
/// with no thread to be had the look gave up after its bound and launched every instance without the parent-death signal.
/// </summary>
public sealed class SingleThreadPoolThreadTests
{
    private static readonly Dictionary<string, object> OneThread = new()
    {
        ["System.Threading.ThreadPool.MinThreads"] = 1,
        ["System.Threading.ThreadPool.MaxThreads"] = 1,
    };

    [Fact]
    public async Task TheFirstLaunch_FindsSetpriv_WithoutAThreadPoolThreadToSpare()
    {
        using var gateway = await GatewayProcess.StartAsync(LaunchedSampleSettings.HttpEcho(), OneThread, "--urls", "http://127.0.0.1:0");
        using var client = new HttpClient { BaseAddress = new Uri(gateway.Url), Timeout = TimeSpan.FromSeconds(60) };

        using var response = await client.PostAsync("/pulled/", new StringContent("hi"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hi", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(gateway.Output, line => line.Contains("will not be stopped if the gateway is killed", StringComparison.Ordinal));
    }
}
