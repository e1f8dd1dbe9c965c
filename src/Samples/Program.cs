using FcWorker;
using FcWorker.Samples;
using Microsoft.Extensions.Configuration;

// `Samples http-echo [--urls …]` runs one sample the way a container would (FC_SERVER_PORT, --urls),
// or the way FC's built-in runtimes do when FC_RUNTIME_API is set (it pulls its invocations from there);
// without a sample name, every sample listens on its own loopback port.
if (args is [var name, ..] && !name.StartsWith('-'))
{
    var sample = SampleFunctions.Find(name);
    if (sample is null)
    {
        await Console.Error.WriteLineAsync($"Unknown sample '{name}'. Samples: {string.Join(", ", SampleFunctions.All.Select(s => s.Name))}.")
            .ConfigureAwait(false);
        return 2;
    }

    // 1 when it was launched by a gateway that is gone (FCGATEWAY_LAUNCHED), as the SDK sets it; else 0.
    await FunctionWorker.RunAsync(args[1..], sample.Handler, SampleFunctions.Options()).ConfigureAwait(false);
    return Environment.ExitCode;
}

var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
await using var samples = await SampleHost.StartAllAsync(configuration).ConfigureAwait(false);
foreach (var (sampleName, url) in samples.Urls)
{
    Console.WriteLine($"{sampleName,-14} {url}");
}

await samples.WaitForShutdownAsync().ConfigureAwait(false);
return 0;
