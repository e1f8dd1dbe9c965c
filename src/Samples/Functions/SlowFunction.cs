namespace FcWorker.Samples.Functions;

/// <summary>
/// <c>slow</c>: waits <c>delayMs</c> (default 5000) and returns <c>done</c>. The wait honours the
/// invocation's cancellation, so a timeout ends it with a <c>TaskCanceledException</c> error.
/// </summary>
public static class SlowFunction
{
    /// <summary>The wait when the event gives none, in milliseconds.</summary>
    public const int DefaultDelayMs = 5000;

    /// <summary>Waits, then answers.</summary>
    /// <param name="context">The invocation context, whose token ends the wait at the deadline.</param>
    /// <param name="event">The event; an HTTP-trigger event has no <c>delayMs</c> and waits the default.</param>
    /// <returns><c>done</c>.</returns>
    public static async Task<string> Handle(IFunctionContext context, SlowEvent? @event)
    {
        var delay = TimeSpan.FromMilliseconds(Math.Max(0, @event?.DelayMs ?? DefaultDelayMs));
        await Task.Delay(delay, context.CancellationToken).ConfigureAwait(false);
        return "done";
    }
}
