using FcGateway.Configuration;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Tests.Configuration;

/// <summary>A destination address that is not an absolute http or https URL is a problem naming cluster and destination.</summary>
public sealed class DestinationAddressesTests
{
    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://127.0.0.1:1")]
    [InlineData("/relative/path")]
    [InlineData("127.0.0.1:9000")]
    [InlineData(" ")]
    public void Validate_AddressNotHttpUrl_ProblemNamesClusterDestinationAndKey(string address)
    {
        var problem = Assert.Single(DestinationAddresses.Validate(Cluster(new DestinationConfig { Address = address })));

        Assert.StartsWith($"Cluster 'echo' destination 'one': Address '{address}' is not an absolute http or https URL", problem, StringComparison.Ordinal);
        Assert.Contains("ReverseProxy:Clusters:echo:Destinations:one:Address", problem, StringComparison.Ordinal);
    }

    /// <summary>YARP's validator lists a missing address ("No address found for destination …"): it is not listed twice.</summary>
    [Fact]
    public void Validate_NoAddress_IsLeftToYarp()
    {
        Assert.Empty(DestinationAddresses.Validate(Cluster(new DestinationConfig { Address = "" })));
    }

    [Fact]
    public void Validate_HealthAddressNotHttpUrl_Problem()
    {
        var problem = Assert.Single(DestinationAddresses.Validate(Cluster(new DestinationConfig { Address = "http://127.0.0.1:9000", Health = "ftp://127.0.0.1:1" })));

        Assert.StartsWith("Cluster 'echo' destination 'one': Health 'ftp://127.0.0.1:1'", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9000")]
    [InlineData("https://worker.example/base/")]
    [InlineData("HTTP://[::1]:9000")]
    public void Validate_HttpUrl_NoProblem(string address)
    {
        Assert.Empty(DestinationAddresses.Validate(Cluster(new DestinationConfig { Address = address, Health = address })));
    }

    [Fact]
    public async Task ConfigFilter_BadAddress_Throws_SoYarpRejectsTheWholeReload()
    {
        var cluster = Cluster(new DestinationConfig { Address = "not a url" });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new FunctionRouteConfigFilter().ConfigureClusterAsync(cluster, CancellationToken.None).AsTask());

        Assert.Contains("Cluster 'echo' destination 'one'", error.Message, StringComparison.Ordinal);
    }

    private static ClusterConfig Cluster(DestinationConfig destination) =>
        new() { ClusterId = "echo", Destinations = new Dictionary<string, DestinationConfig> { ["one"] = destination } };
}
