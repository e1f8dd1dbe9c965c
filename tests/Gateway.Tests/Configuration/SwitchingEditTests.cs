using FcGateway.Configuration;
using FcGateway.Configuration.Triggers;
using FcGateway.Edge;
using Microsoft.Extensions.Configuration;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Tests.Configuration;

/// <summary>
/// A request is served with the trigger of the route it was routed with. An edit widens the anonymous route <c>echo</c>
/// to every path of the function and makes it ask for a token: a request that took its snapshot before the edit and is
/// routed only once YARP has switched and reported it applied (its thread held up between the two) is routed with the
/// wide route, and is held to its token.
/// </summary>
public sealed class SwitchingEditTests
{
    private static readonly RouteConfig Narrow = new() { RouteId = "echo", ClusterId = "echo", Match = new() { Path = "/echo/public/{**rest}" } };
    private static readonly RouteConfig Wide = Narrow with { Match = new() { Path = "/echo/{**rest}" } };

    /// <remarks>Before, the edit was forgotten once YARP reported it applied, and the request kept its snapshot's anonymous trigger.</remarks>
    [Fact]
    public void ARequestRoutedToAnEditsRoute_AfterYarpReportedItApplied_IsServedWithTheEditsTrigger_NotItsSnapshots()
    {
        var settings = new GatewaySettingsMonitor(new ConfigurationBuilder().Build());
        var before = settings.Current with { Triggers = Triggers(TriggerAuthType.Anonymous) };
        settings.Apply(before);
        var request = new GatewayRequestFeature(settings);
        var edited = before with { Triggers = Triggers(TriggerAuthType.Bearer) };

        // As GatewayProxyConfigProvider puts the edit in force around YARP's switch.
        settings.Apply(before, new SwitchingEdit(edited, [Wide], [Narrow]));
        settings.Apply(edited);
        request.RoutedTo(Wide with { AuthorizationPolicy = null, CorsPolicy = "served-as" });

        Assert.Equal(TriggerAuthType.Bearer, request.Settings.GetTrigger("echo").AuthType);
    }

    [Fact]
    public void ARequestRoutedToTheRouteAnEditReplaces_KeepsItsSnapshotsTrigger()
    {
        var settings = new GatewaySettingsMonitor(new ConfigurationBuilder().Build());
        var before = settings.Current with { Triggers = Triggers(TriggerAuthType.Bearer) };
        settings.Apply(before);
        var request = new GatewayRequestFeature(settings);
        var edited = before with { Triggers = Triggers(TriggerAuthType.Anonymous) };

        settings.Apply(before, new SwitchingEdit(edited, [Narrow], [Wide]));
        settings.Apply(edited);
        request.RoutedTo(Wide);

        Assert.Equal(TriggerAuthType.Bearer, request.Settings.GetTrigger("echo").AuthType);
    }

    private static Dictionary<string, TriggerSettings> Triggers(TriggerAuthType authType) =>
        new(StringComparer.OrdinalIgnoreCase) { ["echo"] = new TriggerSettings { AuthType = authType } };
}
