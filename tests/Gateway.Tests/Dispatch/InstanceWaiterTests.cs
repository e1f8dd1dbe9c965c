using System.Runtime.CompilerServices;
using FcGateway.Dispatch;
using FcGateway.Dispatch.Scheduling;
using FcGateway.Outcomes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Dispatch;

/// <summary>Alone, so that no other test's garbage is collected with this one's.</summary>
[Collection(RunsAlone.Name)]
public sealed class InstanceWaiterTests
{
    /// <summary>
    /// A waiter failed in the instant its caller gave up (its queue timeout, its client gone) is never awaited: its
    /// failure must not reach the unobserved-task handler once collected.
    /// </summary>
    [Fact]
    public void AFailureNobodyAwaits_ReachesNoUnobservedTaskHandler()
    {
        using var unobserved = new UnobservedTaskExceptions();

        FailAWaiterNobodyAwaits();

        Assert.DoesNotContain(unobserved.Collected(), exception => exception is InstanceUnavailableException);
    }

    [Fact]
    public async Task AFailure_StillReachesTheCallerThatAwaitsIt()
    {
        var waiter = new InstanceWaiter(candidates: null, picker: null);

        waiter.Fail(new InvocationResult(Outcome.NoInstance, "no instance"));

        var failure = await Assert.ThrowsAsync<InstanceUnavailableException>(() => waiter.Granted);
        Assert.Equal(Outcome.NoInstance, failure.Failure.Outcome);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FailAWaiterNobodyAwaits() =>
        new InstanceWaiter(candidates: null, picker: null).Fail(new InvocationResult(Outcome.NoInstance, "no instance"));
}
