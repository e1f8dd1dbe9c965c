using FcWorker.Push;

namespace FcWorker.Tests.Push;

public sealed class ConcurrencyGateTests
{
    [Fact]
    public void TryEnter_UpToLimit_AdmitsThenRefuses()
    {
        var gate = new ConcurrencyGate(2);

        Assert.True(gate.TryEnter());
        Assert.True(gate.TryEnter());
        Assert.False(gate.TryEnter());
    }

    [Fact]
    public void Exit_AfterFull_FreesOneSlot()
    {
        var gate = new ConcurrencyGate(1);
        Assert.True(gate.TryEnter());

        gate.Exit();

        Assert.True(gate.TryEnter());
        Assert.False(gate.TryEnter());
    }

    [Fact]
    public async Task TryEnter_ManyThreads_NeverAdmitsMoreThanLimit()
    {
        var gate = new ConcurrencyGate(3);
        var admitted = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                if (gate.TryEnter())
                {
                    Assert.InRange(Interlocked.Increment(ref admitted), 1, 3);
                    Interlocked.Decrement(ref admitted);
                    gate.Exit();
                }
            }
        })));

        Assert.True(gate.TryEnter());
    }
}
