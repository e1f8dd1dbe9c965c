using FcGateway;
using FcGateway.Configuration;
using FcWorker.Samples;

// The sample functions start first, each a real worker on its loopback port (9001-9007), then the
// gateway from the repository's appsettings.json, whose routes lead to them over real HTTP.
await using var samples = await SampleHost.StartAllAsync();
foreach (var (name, url) in samples.Urls)
{
    Console.WriteLine($"sample {name,-14} {url}");
}

try
{
    var gateway = await GatewayHost.BuildAsync(args);
    await gateway.RunAsync();
    return 0;
}
catch (GatewayConfigurationException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 1;
}
