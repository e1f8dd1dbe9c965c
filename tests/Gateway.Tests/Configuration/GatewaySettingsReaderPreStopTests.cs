using FcGateway.Configuration;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Configuration;

/// <summary><c>Gateway:Functions:{name}:PreStop</c>: taken where an instance is ever retired, refused where it would mean nothing.</summary>
public sealed class GatewaySettingsReaderPreStopTests
{
    private const string Echo = "Gateway:Functions:echo";

    [Fact]
    public void Read_PreStopOnAPushedFunction_Accepted()
    {
        var echo = Read(new() { [$"{Echo}:PreStop"] = "true" }, out var errors);

        Assert.Empty(errors);
        Assert.True(echo.PreStop);
        Assert.Null(echo.Launch);
        Assert.Null(echo.RuntimeApi);
    }

    [Fact]
    public void Read_PreStopOnAPullingFunctionWithoutCommand_Refused_BesideEveryOtherProblem()
    {
        Read(
            new()
            {
                [$"{Echo}:RuntimeApi"] = "fc",
                [$"{Echo}:PreStop"] = "true",
                [$"{Echo}:Timeout"] = "soon",
                ["Gateway:Functions:other:PreStop"] = "yes",
            },
            out var errors);

        Assert.Equal(3, errors.Count);
        Assert.Contains(
            $"{Echo}:PreStop: the workers of this function pull their invocations and the gateway does not start them, so it never retires one and would "
            + "send no pre-stop: set Command for the gateway to start its instances, or remove PreStop.",
            errors);
        Assert.Contains(errors, error => error.StartsWith($"{Echo}:Timeout: 'soon'", StringComparison.Ordinal));
        Assert.Contains(errors, error => error.StartsWith("Gateway:Functions:other:PreStop: 'yes' is not a boolean", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_PreStopOnALambdaFunction_RefusedOnce()
    {
        Read(new() { [$"{Echo}:RuntimeApi"] = "lambda", [$"{Echo}:PreStop"] = "true" }, out var errors);

        Assert.StartsWith($"{Echo}:PreStop: the Lambda runtime API has no pre-stop invocation", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gateway_PreStopOnAPullingFunctionWithoutCommand_RefusesToStart()
    {
        var configuration = new GatewayConfiguration().WithFunction("echo", "http://127.0.0.1:9")
            .Set($"{Echo}:RuntimeApi", "fc")
            .Set($"{Echo}:PreStop", "true");

        var error = await Assert.ThrowsAsync<GatewayConfigurationException>(() => TestGateway.StartAsync(configuration.Values));

        Assert.Contains(error.Problems, problem => problem.StartsWith($"{Echo}:PreStop: the workers of this function pull", StringComparison.Ordinal));
    }

    private static FunctionSettings Read(Dictionary<string, string?> values, out IReadOnlyList<string> errors)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return GatewaySettingsReader.Read(configuration.GetSection(GatewaySettingsReader.SectionName), out errors).GetFunction("echo");
    }
}
