using FcGateway.Configuration.Triggers;
using FcGateway.Configuration;
using System.Net;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Tests.Configuration;

public sealed class FunctionRouteMetadataTests
{
    private static readonly ClusterConfig Cluster = new() { ClusterId = "echo-cluster" };

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("event")]
    [InlineData("Event")]
    [InlineData("EVENT")]
    [InlineData(" event ")]
    public void Validate_FunctionNameClusterAndEventMode_NoProblem(string? triggerMode)
    {
        var metadata = new Dictionary<string, string> { ["FunctionName"] = "echo" };
        if (triggerMode is not null)
        {
            metadata["TriggerMode"] = triggerMode;
        }

        Assert.Empty(FunctionRouteMetadata.Validate(Route(metadata), Cluster));
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, null)]
    [InlineData(true, "")]
    [InlineData(true, "  ")]
    public void Validate_MissingFunctionName_ProblemNamesTheKeyToSet(bool hasMetadata, string? functionName)
    {
        Dictionary<string, string>? metadata = hasMetadata ? [] : null;
        if (functionName is not null)
        {
            metadata!["FunctionName"] = functionName;
        }

        var problem = Assert.Single(FunctionRouteMetadata.Validate(Route(metadata), Cluster));

        Assert.Contains("ReverseProxy:Routes:echo-route:Metadata:FunctionName", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stream")]
    [InlineData("events")]
    [InlineData("http")]
    [InlineData("async")]
    public void Validate_UnknownTriggerMode_ProblemNamesTheMode(string triggerMode)
    {
        var metadata = new Dictionary<string, string> { ["FunctionName"] = "echo", ["TriggerMode"] = triggerMode };

        var problem = Assert.Single(FunctionRouteMetadata.Validate(Route(metadata), Cluster));

        Assert.Contains($"'{triggerMode}'", problem, StringComparison.Ordinal);
        Assert.Contains("echo-route", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MissingCluster_ProblemNamesTheCluster()
    {
        var metadata = new Dictionary<string, string> { ["FunctionName"] = "echo" };

        var problem = Assert.Single(FunctionRouteMetadata.Validate(Route(metadata), cluster: null));

        Assert.Contains("'echo-cluster'", problem, StringComparison.Ordinal);
        Assert.Contains("ReverseProxy:Clusters", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EverythingWrong_EveryProblemReported()
    {
        var metadata = new Dictionary<string, string> { ["TriggerMode"] = "stream" };

        var problems = FunctionRouteMetadata.Validate(Route(metadata), cluster: null).ToList();

        Assert.Equal(3, problems.Count);
    }

    [Theory]
    [InlineData("echo", "echo")]
    [InlineData("", null)]
    [InlineData(" ", null)]
    public void GetFunctionName_Metadata_ReturnsNameOrNull(string functionName, string? expected)
    {
        var route = Route(new Dictionary<string, string> { ["FunctionName"] = functionName });

        Assert.Equal(expected, FunctionRouteMetadata.GetFunctionName(route));
    }

    [Theory]
    [InlineData(null, true, TriggerMode.Event)]
    [InlineData("", true, TriggerMode.Event)]
    [InlineData("event", true, TriggerMode.Event)]
    [InlineData("EVENT", true, TriggerMode.Event)]
    [InlineData("web", true, TriggerMode.Web)]
    [InlineData(" Web ", true, TriggerMode.Web)]
    [InlineData("stream", false, TriggerMode.Event)]
    public void TryParseTriggerMode_Text_ParsesEventAndWeb(string? text, bool parsed, TriggerMode expected)
    {
        Assert.Equal(parsed, FunctionRouteMetadata.TryParseTriggerMode(text, out var mode));
        Assert.Equal(expected, mode);
    }

    [Theory]
    [InlineData(null, TriggerMode.Event)]
    [InlineData("event", TriggerMode.Event)]
    [InlineData("web", TriggerMode.Web)]
    public void GetTriggerMode_Metadata_ReturnsTheMode(string? text, TriggerMode expected)
    {
        var metadata = new Dictionary<string, string> { ["FunctionName"] = "echo" };
        if (text is not null)
        {
            metadata["TriggerMode"] = text;
        }

        Assert.Equal(expected, FunctionRouteMetadata.GetTriggerMode(Route(metadata)));
    }

    [Fact]
    public async Task ConfigureRouteAsync_InvalidRoute_ThrowsWithEveryProblem()
    {
        var filter = new FunctionRouteConfigFilter();
        var route = Route(new Dictionary<string, string> { ["TriggerMode"] = "stream" });

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(async () => await filter.ConfigureRouteAsync(route, null, CancellationToken.None));

        Assert.Contains("FunctionName", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'stream'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'echo-cluster'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigureClusterAsync_WithoutAPolicy_AnswersNoHealthyInstanceWith503_AndKeepsAnExplicitOne()
    {
        var filter = new FunctionRouteConfigFilter();
        var plain = new ClusterConfig { ClusterId = "plain" };
        var explicitPanic = new ClusterConfig { ClusterId = "panic", HealthCheck = new HealthCheckConfig { AvailableDestinationsPolicy = "HealthyOrPanic" } };

        var defaulted = await filter.ConfigureClusterAsync(plain, CancellationToken.None);
        var kept = await filter.ConfigureClusterAsync(explicitPanic, CancellationToken.None);

        Assert.Equal("HealthyAndUnknown", defaulted.HealthCheck?.AvailableDestinationsPolicy);
        Assert.Equal("HealthyOrPanic", kept.HealthCheck?.AvailableDestinationsPolicy);
    }

    [Fact]
    public async Task ConfigureClusterAsync_WithoutAnActivityTimeout_LeavesTheFunctionTimeoutAsTheBound_AndKeepsAnExplicitOne()
    {
        var filter = new FunctionRouteConfigFilter();
        var plain = new ClusterConfig { ClusterId = "plain" };
        var versioned = new ClusterConfig { ClusterId = "h2", HttpRequest = new ForwarderRequestConfig { Version = HttpVersion.Version20 } };
        var explicitTimeout = new ClusterConfig { ClusterId = "short", HttpRequest = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(7) } };

        var defaulted = await filter.ConfigureClusterAsync(plain, CancellationToken.None);
        var defaultedKeepingVersion = await filter.ConfigureClusterAsync(versioned, CancellationToken.None);
        var kept = await filter.ConfigureClusterAsync(explicitTimeout, CancellationToken.None);

        Assert.Equal(TimeSpan.FromMilliseconds(int.MaxValue), defaulted.HttpRequest?.ActivityTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(int.MaxValue), defaultedKeepingVersion.HttpRequest?.ActivityTimeout);
        Assert.Equal(HttpVersion.Version20, defaultedKeepingVersion.HttpRequest?.Version);
        Assert.Equal(TimeSpan.FromSeconds(7), kept.HttpRequest?.ActivityTimeout);
    }

    [Fact]
    public async Task ConfigureRouteAsync_ValidRoute_GetsTheTriggerCorsPolicyAndNoAuthorizationPolicy()
    {
        var filter = new FunctionRouteConfigFilter();
        var route = Route(new Dictionary<string, string> { ["FunctionName"] = "echo" }) with { AuthorizationPolicy = "Default", CorsPolicy = "AllowAll" };

        var configured = await filter.ConfigureRouteAsync(route, Cluster, CancellationToken.None);

        Assert.Equal(route with { AuthorizationPolicy = null, CorsPolicy = TriggerPolicyNames.Cors }, configured);
    }

    private static RouteConfig Route(IReadOnlyDictionary<string, string>? metadata) => new()
    {
        RouteId = "echo-route",
        ClusterId = "echo-cluster",
        Match = new RouteMatch { Path = "/echo/{**rest}" },
        Metadata = metadata,
    };
}
