using FcGateway.Configuration;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Tests.Configuration;

/// <summary>The health checks a function cluster gets from the gateway's config filter, as YARP loads them.</summary>
public sealed class FunctionClusterHealthDefaultsTests
{
    [Fact]
    public async Task ClusterWithoutHealthCheck_ProbesItsWorkersWithTheGatewaysDefaults()
    {
        var configured = await new FunctionRouteConfigFilter().ConfigureClusterAsync(new ClusterConfig { ClusterId = "echo" }, CancellationToken.None);

        var healthCheck = configured.HealthCheck;
        Assert.NotNull(healthCheck);
        Assert.Equal("HealthyAndUnknown", healthCheck.AvailableDestinationsPolicy);
        Assert.Equal(
            new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = TimeSpan.FromSeconds(5),
                Timeout = TimeSpan.FromSeconds(2),
                Policy = "WorkerAnswers",
                Path = "/healthz",
            },
            healthCheck.Active);
        Assert.Null(healthCheck.Passive);
    }

    [Fact]
    public async Task ActiveKeysTheClusterSets_AreKept_AndOnlyTheUnsetOnesDefaulted()
    {
        var passive = new PassiveHealthCheckConfig { Enabled = true, Policy = "TransportFailureRate" };
        var cluster = new ClusterConfig
        {
            ClusterId = "echo",
            HealthCheck = new HealthCheckConfig
            {
                AvailableDestinationsPolicy = "HealthyOrPanic",
                Active = new ActiveHealthCheckConfig { Interval = TimeSpan.FromSeconds(30), Policy = "ConsecutiveFailures", Path = "/ping", Query = "?deep=1" },
                Passive = passive,
            },
        };

        var configured = await new FunctionRouteConfigFilter().ConfigureClusterAsync(cluster, CancellationToken.None);

        var healthCheck = configured.HealthCheck;
        Assert.NotNull(healthCheck);
        Assert.Equal("HealthyOrPanic", healthCheck.AvailableDestinationsPolicy);
        Assert.Equal(
            new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = TimeSpan.FromSeconds(30),
                Timeout = TimeSpan.FromSeconds(2),
                Policy = "ConsecutiveFailures",
                Path = "/ping",
                Query = "?deep=1",
            },
            healthCheck.Active);
        Assert.Same(passive, healthCheck.Passive);
    }

    [Fact]
    public async Task ActiveCheckSwitchedOff_StaysOff()
    {
        var cluster = new ClusterConfig { ClusterId = "echo", HealthCheck = new HealthCheckConfig { Active = new ActiveHealthCheckConfig { Enabled = false } } };

        var configured = await new FunctionRouteConfigFilter().ConfigureClusterAsync(cluster, CancellationToken.None);

        Assert.False(configured.HealthCheck?.Active?.Enabled);
    }
}
