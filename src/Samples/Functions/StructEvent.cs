namespace FcWorker.Samples.Functions;

/// <summary>The event of <see cref="EventStructFunction"/>: <c>{"key":"value"}</c>.</summary>
public sealed record StructEvent
{
    /// <summary>The name to greet.</summary>
    public string? Key { get; init; }
}
