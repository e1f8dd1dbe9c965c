namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Records the exceptions that reach <see cref="TaskScheduler.UnobservedTaskException"/> while it lives. Garbage is
/// collected when it starts (so that what came before is not counted) and when it is read (so that what was left is
/// found). Use it only in tests of the <see cref="RunsAlone"/> collection, and look for the exception the test is about:
/// work an earlier test left behind may still fault while it lives.
/// </summary>
public sealed class UnobservedTaskExceptions : IDisposable
{
    private readonly List<Exception> _seen = [];

    public UnobservedTaskExceptions()
    {
        CollectGarbage();
        TaskScheduler.UnobservedTaskException += Record;
    }

    /// <summary>What reached the handler so far, garbage collected first.</summary>
    public IReadOnlyList<Exception> Collected()
    {
        CollectGarbage();
        lock (_seen)
        {
            return [.. _seen];
        }
    }

    public void Dispose() => TaskScheduler.UnobservedTaskException -= Record;

    private void Record(object? sender, UnobservedTaskExceptionEventArgs args)
    {
        lock (_seen)
        {
            _seen.AddRange(args.Exception.InnerExceptions);
        }
    }

    private static void CollectGarbage()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }
}
