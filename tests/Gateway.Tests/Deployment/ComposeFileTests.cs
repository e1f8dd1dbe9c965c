using System.Text.Json;
using System.Text.RegularExpressions;
using FcWorker.Samples;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Deployment;

/// <summary>No Docker engine runs here, so the compose file is kept correct by checking what it refers to.</summary>
public sealed partial class ComposeFileTests
{
    private static readonly ComposeFile Compose = ComposeFile.Load(RepositoryRoot.File("docker-compose.yml"));

    [Fact]
    public void EveryBuiltService_UsesADockerfileThatExists_AndCopiesPathsThatExist()
    {
        var built = Compose.Services.Values.Where(s => s.Map("build").Count > 0).ToList();

        Assert.NotEmpty(built);
        foreach (var service in built)
        {
            var dockerfile = RepositoryRoot.File(service.Map("build")["dockerfile"]);
            Assert.True(File.Exists(dockerfile), $"{service.Name}: {dockerfile} is missing");
            foreach (Match copy in CopyInstruction().Matches(File.ReadAllText(dockerfile)))
            {
                foreach (var source in copy.Groups["sources"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    Assert.True(Path.Exists(RepositoryRoot.File(source)), $"{service.Name}: COPY source {source} is missing");
                }
            }
        }
    }

    [Fact]
    public void EverySampleService_RunsAKnownSample_OnThePortTheGatewayCalls()
    {
        var gatewayEnvironment = Compose.Services["gateway"].Map("environment");
        foreach (var sample in SampleFunctions.All)
        {
            var service = Compose.Services[sample.Name];
            Assert.Equal($"[\"{sample.Name}\"]", service.Scalars["command"]);
            var port = service.Map("environment")["FC_SERVER_PORT"];
            Assert.Contains(port, service.List("expose"));
            var address = gatewayEnvironment[$"ReverseProxy__Clusters__{sample.Name}__Destinations__instance1__Address"];
            Assert.Equal($"http://{sample.Name}:{port}", address);
            Assert.Contains(sample.Name, Compose.Services["gateway"].List("depends_on"));
        }
    }

    [Fact]
    public void GatewayEnvironment_OverridesDestinationsThatAppsettingsDefines()
    {
        using var appsettings = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.File("appsettings.json")));
        var clusters = appsettings.RootElement.GetProperty("ReverseProxy").GetProperty("Clusters");
        foreach (var key in Compose.Services["gateway"].Map("environment").Keys.Where(k => k.StartsWith("ReverseProxy__", StringComparison.Ordinal)))
        {
            var parts = key.Split("__");
            Assert.True(clusters.TryGetProperty(parts[2], out var cluster), $"{key}: no cluster {parts[2]}");
            Assert.True(cluster.GetProperty("Destinations").TryGetProperty(parts[4], out _), $"{key}: no destination {parts[4]}");
        }
    }

    /// <remarks>The gateway stops its start at a key it does not know (<c>Gateway__ForwardedHeader__…</c>) or a value it cannot use.</remarks>
    [Fact]
    public async Task GatewayEnvironment_OverTheImagesAppsettings_IsConfigurationTheGatewayStartsWith()
    {
        await DeployedConfiguration.BuildGatewayAsync(Compose.Services["gateway"].Map("environment"));
    }

    [Fact]
    public void GatewayPort_IsPublished_AndMatchesItsListeningAddress()
    {
        var gateway = Compose.Services["gateway"];

        Assert.Contains("8080:8080", gateway.List("ports"));
        Assert.Equal("http://*:8080", gateway.Map("environment")["Urls"]);
    }

    [Fact]
    public void Gateway_ExportsToTheCollector_WhichExportsToJaeger()
    {
        var gateway = Compose.Services["gateway"];
        var collector = Compose.Services["otel-collector"];
        var jaeger = Compose.Services["jaeger"];

        var endpoint = new Uri(gateway.Map("environment")["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("otel-collector", endpoint.Host);
        Assert.Contains($"{endpoint.Port}:{endpoint.Port}", collector.List("ports"));
        Assert.Equal("grpc", gateway.Map("environment")["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.Contains("otel-collector", gateway.List("depends_on"));

        var mount = collector.List("volumes").Single().Split(':');
        Assert.True(File.Exists(RepositoryRoot.File(mount[0])), $"{mount[0]} is missing");
        Assert.Contains($"--config={mount[1]}", collector.Scalars["command"], StringComparison.Ordinal);

        var collectorConfig = File.ReadAllText(RepositoryRoot.File(mount[0]));
        Assert.Contains("endpoint: jaeger:4317", collectorConfig, StringComparison.Ordinal);
        Assert.Contains("4317", jaeger.List("expose"));
        Assert.Equal("true", jaeger.Map("environment")["COLLECTOR_OTLP_ENABLED"]);
    }

    [GeneratedRegex(@"^COPY (?!--from)(?<sources>.+) \S+$", RegexOptions.Multiline)]
    private static partial Regex CopyInstruction();
}
