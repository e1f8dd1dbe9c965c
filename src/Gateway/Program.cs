using FcGateway;
using FcGateway.Configuration;

if (GatewayCommandLine.TryAnswer(args, Console.Out))
{
    return 0;
}

try
{
    // A start-up failure handled below prints one line; the host's own "Hosting failed to start" stack trace would bury it.
    var app = await GatewayHost.BuildAsync(args, builder => builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical));
    await app.RunAsync();
    return 0;
}
catch (GatewayConfigurationException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 1;
}
catch (GatewayStartupException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 1;
}
catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    // Kestrel's message names the address: "Failed to bind to address http://127.0.0.1:8080: address already in use."
    await Console.Error.WriteLineAsync($"{ex.Message} Free the port or listen elsewhere with --urls (or the Urls setting), e.g. --urls http://127.0.0.1:8081.");
    return 1;
}
catch (InvalidDataException ex) when (ConfigurationFileError.Describe(ex) is { } problem)
{
    await Console.Error.WriteLineAsync(problem);
    return 1;
}
