using FcWorker.RuntimeApi;

namespace FcWorker.Tests.RuntimeApi;

public sealed class RetryBackoffTests
{
    [Fact]
    public void Next_DoublesUpToTheLongestWait_AndResetStartsOver()
    {
        var backoff = new RetryBackoff();

        var waits = Enumerable.Range(0, 7).Select(_ => backoff.Next().TotalMilliseconds).ToArray();
        backoff.Reset();

        Assert.Equal([100, 200, 400, 800, 1600, 2000, 2000], waits);
        Assert.Equal(100, backoff.Next().TotalMilliseconds);
    }
}
