using FcGateway.Dispatch;

namespace Gateway.Tests.Dispatch;

public sealed class TimeoutTextTests
{
    [Theory]
    [InlineData(60, "Function time out after 60 seconds")]
    [InlineData(1, "Function time out after 1 second")]
    [InlineData(1.5, "Function time out after 2 seconds")]
    [InlineData(0.2, "Function time out after 1 second")]
    public void SaysTheWholeSecondsTheWorkerWasTold(double seconds, string expected) =>
        Assert.Equal(expected, TimeoutText.For(TimeSpan.FromSeconds(seconds)));
}
