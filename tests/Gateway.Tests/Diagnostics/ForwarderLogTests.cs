using System.Net;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Diagnostics;

/// <summary>
/// YARP's forwarder writes "Proxying to …" at Information for every web-mode request and, for every worker it cannot
/// reach, a Warning with the exception's stack trace; the gateway's own lines say both once, with the cause and without
/// a stack trace. Its lines are held to Error by default, and a level the configuration gives the category wins.
/// </summary>
public sealed class ForwarderLogTests
{
    private const string ForwarderLines = " Yarp.ReverseProxy.Forwarder.HttpForwarder:";

    [Fact]
    public async Task AWebWorkerThatCannotBeReached_IsLoggedOnce_ByTheGateway_WithoutAStackTrace()
    {
        await using var gateway = await StartWithAnUnreachableWebWorkerAsync();

        using var response = await gateway.Client.GetAsync("/echo/");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("outcome=worker_crashed"));
        Assert.Contains(gateway.Logs.Lines, line => line.Contains("ended worker_crashed: Could not connect to the worker at http://127.0.0.1:9/ (connection refused).", StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains(ForwarderLines, StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ALevelConfiguredForTheCategory_WritesItsLines()
    {
        await using var gateway = await StartWithAnUnreachableWebWorkerAsync(c => c.Set("Logging:LogLevel:Yarp.ReverseProxy.Forwarder.HttpForwarder", "Information"));

        using var response = await gateway.Client.GetAsync("/echo/");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains(ForwarderLines));
    }

    /// <summary>A web-mode function whose one worker is at a loopback port nothing listens on (9, discard).</summary>
    private static Task<TestGateway> StartWithAnUnreachableWebWorkerAsync(Action<GatewayConfiguration>? configure = null)
    {
        var config = new GatewayConfiguration().WithFunction("echo", "http://127.0.0.1:9/").Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web");
        configure?.Invoke(config);
        return TestGateway.StartAsync(config.Values);
    }
}
