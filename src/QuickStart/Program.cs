using FcGateway;
using FcQuickStart;
using FcWorker.Samples;

if (QuickStartCommandLine.TryAnswer(args, Console.Out))
{
    return 0;
}

// The sample functions start first, each a real worker at the destination of its cluster in appsettings.json, then
// the gateway, whose routes lead to them over real HTTP.
try
{
    await using var quickStart = await QuickStartHost.StartAsync(args, GatewayStartupError.SuppressHostFailureLog);
    foreach (var (name, url) in quickStart.Samples.Urls)
    {
        Console.WriteLine($"sample {name,-14} {url}");
    }

    await quickStart.Gateway.WaitForShutdownAsync();
    return 0;
}
catch (SampleAddressInUseException ex)
{
    await Console.Error.WriteLineAsync(
        $"{ex.Message} Free the port, or move the sample: change the Address of cluster '{ex.Sample}' in appsettings.json (the gateway follows).");
    return 1;
}
catch (Exception ex) when (GatewayStartupError.Describe(ex) is { } line)
{
    await Console.Error.WriteLineAsync(line);
    return 1;
}
