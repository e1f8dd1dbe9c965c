namespace FcWorker.Samples.Functions;

/// <summary>The event of <see cref="SlowFunction"/>: <c>{"delayMs":100}</c>.</summary>
public sealed record SlowEvent
{
    /// <summary>How long to wait, in milliseconds; <see cref="SlowFunction.DefaultDelayMs"/> when absent.</summary>
    public int? DelayMs { get; init; }
}
