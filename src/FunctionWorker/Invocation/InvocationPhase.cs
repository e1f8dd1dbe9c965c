namespace FcWorker.Invocation;

/// <summary>One of the calls the platform makes to a worker, with how it is logged, traced and timed.</summary>
internal sealed class InvocationPhase(string logName, string spanName, string timeoutHeader)
{
    public static InvocationPhase Invoke { get; } = new("Invoke", "invoke", FcHeaderNames.FunctionTimeout);

    public static InvocationPhase Initialize { get; } = new("Initialize", "initialize", FcHeaderNames.InitializationTimeout);

    public static InvocationPhase PreStop { get; } = new("PreStop", "pre-stop", FcHeaderNames.FunctionTimeout);

    public static InvocationPhase PreFreeze { get; } = new("PreFreeze", "pre-freeze", FcHeaderNames.FunctionTimeout);

    /// <summary>The word in FC's log lines: <c>FC {LogName} Start RequestId: …</c>.</summary>
    public string LogName { get; } = logName;

    /// <summary>The first word of the span name: <c>{SpanName} {functionName}</c>.</summary>
    public string SpanName { get; } = spanName;

    /// <summary>The header giving this call's time limit in seconds.</summary>
    public string TimeoutHeader { get; } = timeoutHeader;
}
