using System.Net;
using FcGateway.Configuration;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// Two edits in quick succession: the second is saved once YARP serves the routes of the first and before it has
/// reported them applied. A request routed then to a route the first edit changes is served with that route's trigger in
/// the first edit, not with the trigger of the route it replaces, whatever the second edit changes. YARP applies an
/// edit inside the signal that hands it over, unless one of its steps completes later: a route filter holds it here until
/// the reload that signalled has returned (<see cref="HeldRouteFilter"/>).
/// </summary>
public sealed class SuccessiveEditsReloadTests
{
    private static readonly TimeSpan SecondEditsTimeout = TimeSpan.FromSeconds(20);

    /// <remarks>
    /// Before, the second edit was read at once and replaced the first before it was taken: the first edit's settings were
    /// never put in force, and until YARP had applied the second, the first edit's wide route was served anonymous.
    /// </remarks>
    [Fact]
    public async Task AnEditSavedBeforeYarpReportsTheLastApplied_LeavesTheLastEditsRoutesWithTheirTriggers()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        var editable = new EditableConfiguration(ConfigurationEdits.PublicAnonymousBesidePrivateBearer(worker.Url).Values);
        var switching = new YarpSwitchListener();
        var filter = new HeldRouteFilter();
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(), builder =>
        {
            ((IConfigurationBuilder)builder.Configuration).Add(editable);
            builder.Services.AddSingleton<IConfigChangeListener>(switching);
            builder.Services.AddSingleton<IProxyConfigFilter>(filter);
        });
        HttpStatusCode? servedBetweenTheEdits = null;
        switching.OnApplied = () =>
        {
            editable.Put("Gateway:Functions:echo:Timeout", "00:00:20");
            servedBetweenTheEdits = Task.Run(async () => (await gateway.Client.GetAsync("/echo/secret")).StatusCode).GetAwaiter().GetResult();
        };

        // The first edit widens the anonymous route to the paths of the one asking for a token, which it removes, and makes it ask for the token.
        var held = filter.HoldTheNext();
        editable.Replace(
            ["ReverseProxy:Routes:private", "Gateway:Triggers:private"],
            ("ReverseProxy:Routes:echo:Match:Path", "/echo/{**rest}"),
            ("Gateway:Triggers:echo:AuthType", "bearer"),
            ("Gateway:Triggers:echo:BearerTokens:0", "right"));
        held.SetResult();
        await Eventually.HoldsAsync(() => servedBetweenTheEdits is not null);

        Assert.Equal(HttpStatusCode.Unauthorized, servedBetweenTheEdits);
        await Eventually.HoldsAsync(() => gateway.Logs.Lines.Count(line => line.Contains("is now in force", StringComparison.Ordinal)) == 2);
        Assert.Equal(SecondEditsTimeout, gateway.Services.GetRequiredService<GatewaySettingsMonitor>().Current.GetFunction("echo").Timeout);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.Client.GetAsync("/echo/secret")).StatusCode);
    }

    /// <summary>Holds YARP's apply of the next configuration, at its first route, until the test releases it; passes every route on as it is.</summary>
    private sealed class HeldRouteFilter : IProxyConfigFilter
    {
        private TaskCompletionSource? _next;

        public TaskCompletionSource HoldTheNext() => _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel) => new(cluster);

        public async ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel)
        {
            if (Interlocked.Exchange(ref _next, null) is { } held)
            {
                await held.Task;
            }

            return route;
        }
    }
}
