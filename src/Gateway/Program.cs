using FcGateway;

if (GatewayCommandLine.TryAnswer(args, Console.Out))
{
    return 0;
}

try
{
    var app = await GatewayHost.BuildAsync(args, GatewayStartupError.SuppressHostFailureLog);
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (GatewayStartupError.Describe(ex) is { } line)
{
    await Console.Error.WriteLineAsync(line);
    return 1;
}
