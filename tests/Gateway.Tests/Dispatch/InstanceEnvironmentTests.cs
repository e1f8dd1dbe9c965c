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

    /// <summary>
    /// FC puts the function role's credentials in <c>ALIBABA_CLOUD_ACCESS_KEY_ID</c>, <c>ALIBABA_CLOUD_ACCESS_KEY_SECRET</c> and
    /// <c>ALIBABA_CLOUD_SECURITY_TOKEN</c> (its system environment variables), where Alibaba Cloud's SDKs look for them
    /// by default: the configured credentials go there too, besides the <c>x-fc-*</c> headers the Go SDK reads.
    /// </summary>
    [Fact]
    public void AnFcProcess_FindsTheConfiguredCredentials_WhereFcPutsTheRolesCredentials()
    {
        var function = LambdaFunction(1) with
        {
            RuntimeApi = RuntimeApiProtocol.Fc,
            Credentials = new FunctionCredentials { AccessKeyId = "AKID", AccessKeySecret = "SECRET", SecurityToken = "TOKEN" },
        };

        var environment = InstanceEnvironment.For("127.0.0.1:9500/functions/f/instances/c-1", "f", "c-1", function, new GatewaySettings(), LaunchedAt);

        Assert.Equal("AKID", environment["ALIBABA_CLOUD_ACCESS_KEY_ID"]);
        Assert.Equal("SECRET", environment["ALIBABA_CLOUD_ACCESS_KEY_SECRET"]);
        Assert.Equal("TOKEN", environment["ALIBABA_CLOUD_SECURITY_TOKEN"]);
    }

    [Fact]
    public void AnFcProcess_GetsTheConfiguredCredentialsWhole_OneLeftOutEmpty_NoneWhenNoneAreConfigured()
    {
        var function = LambdaFunction(1) with
        {
            RuntimeApi = RuntimeApiProtocol.Fc,
            Credentials = new FunctionCredentials { AccessKeyId = "AKID", AccessKeySecret = "SECRET" },
        };

        var withoutToken = InstanceEnvironment.For("127.0.0.1:9500/functions/f/instances/c-1", "f", "c-1", function, new GatewaySettings(), LaunchedAt);
        var withNone = InstanceEnvironment.For(
            "127.0.0.1:9500/functions/f/instances/c-1", "f", "c-1", function with { Credentials = FunctionCredentials.None }, new GatewaySettings(), LaunchedAt);

        Assert.Equal("AKID", withoutToken["ALIBABA_CLOUD_ACCESS_KEY_ID"]);
        Assert.Equal("", withoutToken["ALIBABA_CLOUD_SECURITY_TOKEN"]); // not a token inherited from the gateway's environment
        Assert.DoesNotContain(withNone.Keys, name => name.StartsWith("ALIBABA_CLOUD_", StringComparison.Ordinal));
    }

    /// <summary>
    /// The runtime API speaks cleartext HTTP/2 too, which the C# SDK uses when told; a function's own <c>Environment</c>
    /// value (say <c>http/1.1</c>, to keep a process on HTTP/1.1) is not replaced.
    /// </summary>
    [Theory]
    [InlineData(null, "h2c")]
    [InlineData("http/1.1", null)]
    public void AnFcProcess_IsToldTheRuntimeApiSpeaksH2c_UnlessItsEnvironmentSaysOtherwise(string? configured, string? expected)
    {
        var function = LambdaFunction(1) with { RuntimeApi = RuntimeApiProtocol.Fc };
        if (configured is not null)
        {
            function = function with
            {
                Launch = function.Launch! with { Environment = new Dictionary<string, string> { [InstanceEnvironment.RuntimeApiProtocolVariable] = configured } },
            };
        }

        var environment = InstanceEnvironment.For("127.0.0.1:9500/functions/f/instances/c-1", "f", "c-1", function, new GatewaySettings(), LaunchedAt);

        Assert.Equal(expected, environment.GetValueOrDefault("FCGATEWAY_RUNTIME_API_PROTOCOL"));
    }

    /// <summary>
    /// Every instance the gateway launches, FC's and Lambda's, is told it is the gateway's: the C# SDK then stops when a
    /// failed poll shows the gateway gone, rather than polling for ever as an orphan.
    /// </summary>
    [Theory]
    [InlineData(RuntimeApiProtocol.Fc)]
    [InlineData(RuntimeApiProtocol.Lambda)]
    public void EveryLaunchedProcess_IsToldTheGatewayLaunchedIt(RuntimeApiProtocol protocol)
    {
        var function = LambdaFunction(1) with { RuntimeApi = protocol };

        var environment = InstanceEnvironment.For("127.0.0.1:9500/functions/f/instances/c-1", "f", "c-1", function, new GatewaySettings(), LaunchedAt);

        Assert.Equal("1", environment["FCGATEWAY_LAUNCHED"]);
    }

    private static FunctionSettings LambdaFunction(int instanceConcurrency) => FunctionSettings.Default with
    {
        RuntimeApi = RuntimeApiProtocol.Lambda,
        InstanceConcurrency = instanceConcurrency,
        Launch = new FunctionLaunchSettings { Command = "/bin/true", WorkingDirectory = "/tmp" },
    };
}
