using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A fake clock that runs an action at its next reading on the thread that arms it (the one advancing it): what another
/// thread does at that moment, such as an invocation the queue grants while the idle check, run by the advance, reads
/// an instance's idle time.
/// </summary>
public sealed class HookedTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private Action? _hook;
    private int _thread;

    public void OnNextTimestamp(Action hook)
    {
        _thread = Environment.CurrentManagedThreadId;
        Volatile.Write(ref _hook, hook);
    }

    public override long GetTimestamp()
    {
        if (Environment.CurrentManagedThreadId == _thread && Interlocked.Exchange(ref _hook, null) is { } hook)
        {
            hook();
        }

        return base.GetTimestamp();
    }
}
