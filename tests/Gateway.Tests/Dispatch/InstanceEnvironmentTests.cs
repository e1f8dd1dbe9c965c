using FcGateway.Configuration;
using FcGateway.Dispatch.Pull;

namespace Gateway.Tests.Dispatch;

public sealed class InstanceEnvironmentTests
{
    private static readonly DateTimeOffset LaunchedAt = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2026-12-01T23:59:59+00:00", "2026/12/01/[$LATEST]c-0a1b2c3d4e5f")]
    [InlineData("2026-12-01T23:30:00-02:00", "2026/12/02/[$LATEST]c-0a1b2c3d4e5f")]
    public void ALambdaLogStream_IsNamedAsLambdaNamesIt_OnTheUtcDateOfTheLaunch(string launchedAt, string expected) =>
        Assert.Equal(expected, InstanceEnvironment.LogStreamName("c-0a1b2c3d4e5f", DateTimeOffset.Parse(launchedAt, System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>
    /// aws-lambda-go (and the runtime clients written for Lambda Managed Instances) run as many invocation loops as
    /// <c>AWS_LAMBDA_MAX_CONCURRENCY</c> says, one when it is unset: without it a process the gateway lets hold several
    /// invocations still polls for one at a time, and the others wait for it.
    /// </summary>
    [Theory]
    [InlineData(4, "4")]
    [InlineData(2, "2")]
    [InlineData(1, null)]
    public void ALambdaProcess_IsToldHowManyInvocationsItMayRunAtOnce_WhenItMayRunMoreThanOne(int instanceConcurrency, string? expected)
    {
        var environment = InstanceEnvironment.For("127.0.0.1:41237", "orders", "c-0a1b2c3d4e5f", LambdaFunction(instanceConcurrency), new GatewaySettings(), LaunchedAt);

        Assert.Equal(expected, environment.GetValueOrDefault("AWS_LAMBDA_MAX_CONCURRENCY"));
    }

    [Fact]
    public void AnFcProcess_IsNotToldLambdasConcurrency()
    {
        var function = LambdaFunction(4) with { RuntimeApi = RuntimeApiProtocol.Fc };

        var environment = InstanceEnvironment.For("127.0.0.1:9500/functions/f/instances/c-1", "f", "c-1", function, new GatewaySettings(), LaunchedAt);

        Assert.Equal("4", environment["FC_INSTANCE_CONCURRENCY"]);
        Assert.False(environment.ContainsKey("AWS_LAMBDA_MAX_CONCURRENCY"));
    }

    private static FunctionSettings LambdaFunction(int instanceConcurrency) => FunctionSettings.Default with
    {
        RuntimeApi = RuntimeApiProtocol.Lambda,
        InstanceConcurrency = instanceConcurrency,
        Launch = new FunctionLaunchSettings { Command = "/bin/true", WorkingDirectory = "/tmp" },
    };
}
