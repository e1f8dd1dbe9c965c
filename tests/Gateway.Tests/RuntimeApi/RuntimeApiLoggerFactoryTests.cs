using FcGateway.RuntimeApi;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.RuntimeApi;

/// <summary>The runtime API's server logs through the gateway's factory, except ASP.NET Core's hosting logs.</summary>
public sealed class RuntimeApiLoggerFactoryTests
{
    [Fact]
    public void TheHostingPerRequestLog_IsOff_EvenWhenTheGatewayLogsEverything()
    {
        using var gateway = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new CapturedLogs()));
        using var factory = new RuntimeApiLoggerFactory(gateway);

        // Hosting starts an activity and a log scope per request only when this logger is enabled at some level.
        Assert.False(factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Critical));
    }

    [Fact]
    public void TheHostingLifetimeNotices_AreOff_SoThatNowListeningOnIsTheClientsListener()
    {
        using var gateway = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new CapturedLogs()));
        using var factory = new RuntimeApiLoggerFactory(gateway);

        Assert.False(factory.CreateLogger("Microsoft.Hosting.Lifetime").IsEnabled(LogLevel.Critical));
    }

    [Fact]
    public void KestrelsLines_ReachTheGatewaysLog()
    {
        using var captured = new CapturedLogs();
        using var gateway = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(captured));
        using var factory = new RuntimeApiLoggerFactory(gateway);

        factory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel.BadRequests")
            .Log(LogLevel.Debug, default, "bad request line", null, static (state, _) => state);

        Assert.True(captured.Contains("bad request line"));
    }

    /// <summary>Kestrel warns at start-up that a cleartext endpoint of HTTP/1.1 and HTTP/2 speaks HTTP/1.1 only; the runtime API's speaks both.</summary>
    [Fact]
    public async Task KestrelsWarning_ThatTheRuntimeApiCannotSpeakHttp2_IsNotLogged()
    {
        using var captured = new CapturedLogs();
        await using var gateway = await PullFunction.StartAsync(logs: captured);

        Assert.False(captured.Contains("HTTP/2 is not enabled"));
        Assert.True(captured.Contains("Runtime API listening on"));
    }
}
