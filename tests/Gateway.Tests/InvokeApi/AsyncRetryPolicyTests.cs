using FcGateway.Buffers;
using FcGateway.Edge.InvokeApi;
using FcGateway.Outcomes;

namespace Gateway.Tests.InvokeApi;

public sealed class AsyncRetryPolicyTests
{
    /// <remarks>Before, the wait doubled to a minute however briefly the instances were busy, and they idled while it ran.</remarks>
    [Theory]
    [InlineData(nameof(Outcome.QueueTimeout))]
    [InlineData(nameof(Outcome.InstanceBusy))]
    public void AfterManyAttemptsFindingTheInstancesBusy_TheWaitStaysWithinMaxBusyWait(string outcome)
    {
        var busy = Enum.Parse<Outcome>(outcome);
        using var payload = new PooledBuffer();
        var invocation = new PendingInvocation("1-id", "echo", payload, 0, default);

        var waits = Enumerable.Range(0, 12).Select(_ => AsyncRetryPolicy.NextWait(invocation, busy, retryAttempts: 3, TimeSpan.Zero)!.Value).ToList();

        Assert.All(waits, wait => Assert.InRange(wait, AsyncRetryPolicy.FirstRetryDelay / 2, AsyncRetryPolicy.MaxBusyWait));
        Assert.True(waits[^1] >= AsyncRetryPolicy.MaxBusyWait / 2);
        Assert.Equal(0, invocation.FunctionFailures);
    }

    [Fact]
    public void AfterManyAttemptsFindingNoInstance_TheWaitGrowsToMaxRetryDelay()
    {
        using var payload = new PooledBuffer();
        var invocation = new PendingInvocation("1-id", "echo", payload, 0, default);

        var waits = Enumerable.Range(0, 12).Select(_ => AsyncRetryPolicy.NextWait(invocation, Outcome.NoInstance, retryAttempts: 3, TimeSpan.Zero)!.Value).ToList();

        Assert.InRange(waits[^1], AsyncRetryPolicy.MaxRetryDelay / 2, AsyncRetryPolicy.MaxRetryDelay);
    }
}
