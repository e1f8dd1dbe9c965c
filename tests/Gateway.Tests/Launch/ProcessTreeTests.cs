using System.Diagnostics;
using FcGateway.Launch;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Launch;

/// <summary>
/// The processes below a function's process are listed when it is asked to stop, and killed later if still there: by
/// then one may have exited and its id been given to another process, which must not be killed in its place.
/// </summary>
public sealed class ProcessTreeTests
{
    [Fact]
    public async Task DescendantsOf_ListsChildrenAndGrandchildren_AndEachIsKilledWhileItIsTheSameProcess()
    {
        using var wrapper = Process.Start("/bin/sh", ["-c", "sleep 600 & sleep 600 & wait"])!;
        try
        {
            await Eventually.HoldsAsync(() => ProcessTree.DescendantsOf(wrapper.Id).Count == 2);
            var descendants = ProcessTree.DescendantsOf(wrapper.Id);

            foreach (var descendant in descendants)
            {
                Assert.True(descendant.KillIfStillThere());
            }

            await Eventually.HoldsAsync(() => ProcessTree.DescendantsOf(wrapper.Id).Count == 0);
        }
        finally
        {
            wrapper.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void AProcessHoldingARecordedId_ButStartedAtAnotherTime_IsNotKilled()
    {
        using var other = Process.Start("/bin/sleep", ["600"])!;
        try
        {
            var recorded = ProcessTree.DescendantsOf(Environment.ProcessId).Single(process => process.Id == other.Id);
            var reused = recorded with { StartTime = recorded.StartTime + 1 };

            Assert.False(reused.KillIfStillThere());
            Assert.False(other.HasExited);
        }
        finally
        {
            other.Kill();
        }
    }
}
