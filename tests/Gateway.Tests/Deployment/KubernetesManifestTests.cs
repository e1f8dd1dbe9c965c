using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using FcGateway.Configuration;
using FcWorker.Samples;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Deployment;

/// <summary>
/// No Kubernetes cluster runs here (the manifests were rendered with <c>kubectl kustomize</c>, never applied), so
/// deploy/k8s is kept correct by checking what it refers to: files, samples, ports, paths, the shutdown's time.
/// </summary>
public sealed partial class KubernetesManifestTests
{
    private static readonly string Folder = RepositoryRoot.File("deploy/k8s");
    private static readonly string Gateway = File.ReadAllText(Path.Combine(Folder, "gateway.yaml"));
    private static readonly string Samples = File.ReadAllText(Path.Combine(Folder, "samples.yaml"));

    [Fact]
    public void Kustomization_ListsResourcesThatExist_AndNamesBothImages()
    {
        var kustomization = File.ReadAllText(Path.Combine(Folder, "kustomization.yaml"));
        var resources = ListItem().Matches(kustomization[kustomization.IndexOf("resources:", StringComparison.Ordinal)..kustomization.IndexOf("images:", StringComparison.Ordinal)]);

        Assert.Equal(3, resources.Count);
        Assert.All(resources, resource => Assert.True(File.Exists(Path.Combine(Folder, resource.Groups["item"].Value)), resource.Value));
        Assert.Contains("image: fc-gateway", Gateway, StringComparison.Ordinal);
        Assert.Contains("- name: fc-gateway", kustomization, StringComparison.Ordinal);
        Assert.Contains("image: fc-samples", Samples, StringComparison.Ordinal);
        Assert.Contains("- name: fc-samples", kustomization, StringComparison.Ordinal);
    }

    [Fact]
    public void EverySample_RunsInAContainerOnThePortTheGatewayCalls_AndTheServiceExposesIt()
    {
        using var appsettings = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.File("appsettings.json")));
        var clusters = appsettings.RootElement.GetProperty("ReverseProxy").GetProperty("Clusters");
        foreach (var sample in SampleFunctions.All)
        {
            var container = Regex.Match(Samples, $"args: \\[\"{Regex.Escape(sample.Name)}\"\\]\\s+env:\\s+- name: FC_SERVER_PORT\\s+value: \"(?<port>\\d+)\"");
            Assert.True(container.Success, $"no container runs {sample.Name} on FC_SERVER_PORT");
            var port = container.Groups["port"].Value;

            Assert.True(clusters.TryGetProperty(sample.Name, out _), $"appsettings.json has no cluster {sample.Name}");
            Assert.Matches($"name: ReverseProxy__Clusters__{Regex.Escape(sample.Name)}__Destinations__instance1__Address\\s+value: http://samples:{port}\\n", Gateway);
            Assert.Matches($"port: {port}\\s+targetPort: {port}\\n", Samples);
        }
    }

    [Fact]
    public void Gateway_ListensOnTheContainerPort_AndIsProbedOnItsHealthPaths()
    {
        Assert.Matches("name: Urls\\s+value: http://\\*:8080\\n", Gateway);
        Assert.Matches("name: http\\s+containerPort: 8080\\n", Gateway);
        Assert.Matches("livenessProbe:\\s+httpGet:\\s+path: /healthz\\s+port: http\\n", Gateway);
        Assert.Matches("startupProbe:\\s+httpGet:\\s+path: /healthz\\s+port: http\\n", Gateway);
        Assert.Matches("readinessProbe:\\s+httpGet:\\s+path: /readyz\\s+port: http\\n", Gateway);
    }

    /// <remarks>
    /// The commented variables are suggestions the file makes (a trusted proxy range, an OTLP endpoint): they are checked
    /// as if uncommented. The gateway stops its start at a key it does not know or a value it cannot use.
    /// </remarks>
    [Fact]
    public async Task GatewayEnvironment_CommentedSuggestionsIncluded_IsConfigurationTheGatewayStartsWith()
    {
        var environment = GatewayEnvironmentVariable().Matches(Gateway)
            .Select(variable => KeyValuePair.Create(variable.Groups["name"].Value, variable.Groups["value"].Value))
            .ToList();

        Assert.Contains(environment, variable => variable.Key.StartsWith("ReverseProxy__", StringComparison.Ordinal));
        Assert.Contains(environment, variable => variable.Key.StartsWith("Gateway__", StringComparison.Ordinal));
        Assert.Contains(environment, variable => variable.Key.StartsWith("OTEL_", StringComparison.Ordinal));
        await DeployedConfiguration.BuildGatewayAsync(environment);
    }

    [Fact]
    public void TerminationGrace_CoversThePreStopPause_AndTheDrain()
    {
        var grace = int.Parse(Regex.Match(Gateway, "terminationGracePeriodSeconds: (\\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        var preStop = int.Parse(Regex.Match(Gateway, "command: \\[\"sleep\", \"(\\d+)\"\\]").Groups[1].Value, CultureInfo.InvariantCulture);

        Assert.True(grace > preStop + new GatewaySettings().DrainTimeout.TotalSeconds, $"{grace} s leaves the drain less than DrainTimeout after the {preStop} s pause");
    }

    /// <remarks>
    /// /readyz fails on every replica at once while one function has no worker: a budget that counted those replicas
    /// as disrupted already would refuse to evict any, and hold a node drain until the function came back.
    /// </remarks>
    [Fact]
    public void DisruptionBudget_LetsReplicasThatAreNotReadyBeEvicted()
    {
        var budget = Gateway[Gateway.IndexOf("kind: PodDisruptionBudget", StringComparison.Ordinal)..];

        Assert.Matches("\\n  unhealthyPodEvictionPolicy: AlwaysAllow\\n", budget);
    }

    /// <summary>An environment variable of gateway.yaml's one container, commented or not: <c>- name: …</c>, then <c>value: …</c>.</summary>
    [GeneratedRegex("^ {12}(?:# )?- name: (?<name>\\S+)\\n {12}(?:# )? {2}value: (?<value>\\S+)$", RegexOptions.Multiline)]
    private static partial Regex GatewayEnvironmentVariable();

    [GeneratedRegex("^  - (?<item>\\S+)$", RegexOptions.Multiline)]
    private static partial Regex ListItem();
}
