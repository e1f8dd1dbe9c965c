using FcGateway.Configuration;
using FcQuickStart;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.QuickStart;

public sealed class SampleAddressesTests
{
    private const string EchoDestinations = "ReverseProxy:Clusters:http-echo:Destinations";

    [Fact]
    public void Read_EachSampleAtItsClustersDestination_SamplesWithoutAClusterLeftOut()
    {
        var addresses = SampleAddresses.Read(Configuration(
            ($"{EchoDestinations}:instance1:Address", "http://127.0.0.1:9104"),
            ("ReverseProxy:Clusters:slow:Destinations:a:Address", "http://localhost:9107"),
            ("ReverseProxy:Clusters:not-a-sample:Destinations:a:Address", "http://127.0.0.1:9999")));

        Assert.Equal(
            [("http-echo", "http://127.0.0.1:9104/"), ("slow", "http://localhost:9107/")],
            addresses.Select(pair => (pair.Key, pair.Value.ToString())));
    }

    [Theory]
    [InlineData("https://127.0.0.1:9104")]
    [InlineData("http://10.0.0.5:9104")]
    [InlineData("not an address")]
    public void Read_DestinationTheQuickStartCannotListenOn_IsAConfigurationProblemNamingTheCluster(string address)
    {
        var exception = Assert.Throws<GatewayConfigurationException>(() => SampleAddresses.Read(Configuration(($"{EchoDestinations}:instance1:Address", address))));

        Assert.Contains("cluster 'http-echo'", Assert.Single(exception.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SeveralDestinations_IsAConfigurationProblemForEachSuchCluster()
    {
        var exception = Assert.Throws<GatewayConfigurationException>(() => SampleAddresses.Read(Configuration(
            ($"{EchoDestinations}:a:Address", "http://127.0.0.1:9104"),
            ($"{EchoDestinations}:b:Address", "http://127.0.0.1:9114"),
            ("ReverseProxy:Clusters:slow:Destinations:a:Address", "https://127.0.0.1:9107"))));

        Assert.Equal(2, exception.Problems.Count);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
}
