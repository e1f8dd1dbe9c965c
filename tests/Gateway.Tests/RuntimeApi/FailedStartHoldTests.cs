using FcGateway.Dispatch;
using FcGateway.Dispatch.Pull;
using FcGateway.Outcomes;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.RuntimeApi;

public sealed class FailedStartHoldTests
{
    private static readonly InvocationResult Crashed = new(Outcome.WorkerCrashed, "", StartLog: "panic: no config\n");

    [Fact]
    public void OneFailure_HoldsNothing_FromTheSecondInARow_StartsAreHeldLongerEachTime_UpToTheLongestHold()
    {
        var time = new FakeTimeProvider();
        var hold = new FailedStartHold(time);

        hold.Failed(Crashed, time.GetTimestamp());
        Assert.False(hold.IsHolding);

        TimeSpan[] expected = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8),
            TimeSpan.FromSeconds(16), FailedStartHold.LongestHold, FailedStartHold.LongestHold];
        foreach (var length in expected)
        {
            hold.Failed(Crashed, time.GetTimestamp());
            time.Advance(length - TimeSpan.FromMilliseconds(1));
            Assert.True(hold.IsHolding);
            time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.False(hold.IsHolding);
        }
    }

    [Fact]
    public void AnInstanceThatBecomesReady_OrAReload_EndsTheHold_AndTheCountStartsAgain()
    {
        var time = new FakeTimeProvider();
        var hold = new FailedStartHold(time);
        hold.Failed(Crashed, time.GetTimestamp());
        hold.Failed(Crashed, time.GetTimestamp());
        Assert.True(hold.IsHolding);

        hold.End();
        Assert.False(hold.IsHolding);
        hold.Failed(Crashed, time.GetTimestamp());
        Assert.False(hold.IsHolding);
    }

    [Fact]
    public void TheHeldFailure_IsTheLastOne_WithItsStartLog_SayingHowManyFailedAndHowLongTheHoldLasts()
    {
        var time = new FakeTimeProvider();
        var hold = new FailedStartHold(time);
        hold.Failed(new InvocationResult(Outcome.InitializationFailed, "The initializer failed."), time.GetTimestamp());
        hold.Failed(Crashed, time.GetTimestamp());
        time.Advance(TimeSpan.FromMilliseconds(250));

        var held = hold.HeldFailure("echo");

        Assert.Equal(Outcome.WorkerCrashed, held.Outcome);
        Assert.Equal("panic: no config\n", held.StartLog);
        Assert.Equal("The last 2 instances started for echo failed to start, so none is started for another 0.8 s; the last failure: WorkerCrashed", held.Reason);
    }

    [Fact]
    public void InstancesStartedTogether_ThatFailTogether_CountAsOneFailure()
    {
        var time = new FakeTimeProvider();
        var hold = new FailedStartHold(time);
        var burstStarted = time.GetTimestamp();
        time.Advance(TimeSpan.FromMilliseconds(100));

        for (var instance = 0; instance < 8; instance++)
        {
            hold.Failed(Crashed, burstStarted);
        }

        Assert.False(hold.IsHolding);
        hold.Failed(Crashed, time.GetTimestamp());
        time.Advance(FailedStartHold.FirstHold - TimeSpan.FromMilliseconds(1));
        Assert.True(hold.IsHolding);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(hold.IsHolding);
    }
}
