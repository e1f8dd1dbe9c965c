using FcGateway.Dispatch.Pull;

namespace Gateway.Tests.Dispatch;

public sealed class InstanceEnvironmentTests
{
    [Theory]
    [InlineData("2026-12-01T23:59:59+00:00", "2026/12/01/[$LATEST]c-0a1b2c3d4e5f")]
    [InlineData("2026-12-01T23:30:00-02:00", "2026/12/02/[$LATEST]c-0a1b2c3d4e5f")]
    public void ALambdaLogStream_IsNamedAsLambdaNamesIt_OnTheUtcDateOfTheLaunch(string launchedAt, string expected) =>
        Assert.Equal(expected, InstanceEnvironment.LogStreamName("c-0a1b2c3d4e5f", DateTimeOffset.Parse(launchedAt, System.Globalization.CultureInfo.InvariantCulture)));
}
