using FcGateway;
using FcGateway.Configuration;

if (GatewayCommandLine.TryAnswer(args, Console.Out))
{
    return 0;
}

try
{
    var app = await GatewayHost.BuildAsync(args);
    await app.RunAsync();
    return 0;
}
catch (GatewayConfigurationException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    return 1;
}
catch (InvalidDataException ex) when (ConfigurationFileError.Describe(ex) is { } problem)
{
    await Console.Error.WriteLineAsync(problem);
    return 1;
}
