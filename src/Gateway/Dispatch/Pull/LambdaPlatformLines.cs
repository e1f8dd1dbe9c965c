using System.Diagnostics;
using System.Globalization;
using FcGateway.Outcomes;

namespace FcGateway.Dispatch.Pull;

/// <summary>
/// The lines Lambda writes into a function's log around each invocation, written into a launched Lambda instance's log
/// (the gateway's log of its output, and the tail an invocation may ask for): <c>START</c> as the instance takes it (none
/// for an invocation it never took, which may run on another instance), <c>END</c> and <c>REPORT</c> (duration, billed
/// duration, memory size, the process's peak memory, and on the instance's first invocation its init duration, billed
/// with it) once it has answered and its body was sent, after Lambda's <c>Task timed out</c> line when it ran out of time.
/// </summary>
internal sealed class LambdaPlatformLines
{
    private readonly LaunchedInstance _instance;
    private readonly string _requestId;
    private readonly int _memorySize;
    private readonly TimeSpan _timeout;
    private readonly bool _coldStart;
    private readonly Lock _lock = new();
    private long _startTimestamp;
    private bool _started;
    private bool _ended;

    public LambdaPlatformLines(LaunchedInstance instance, string requestId, int memorySize, TimeSpan timeout, bool coldStart)
    {
        _instance = instance;
        _requestId = requestId;
        _memorySize = memorySize;
        _timeout = timeout;
        _coldStart = coldStart;
    }

    /// <summary>Writes <c>START</c>: the instance took the invocation (unless it has ended already, in a race).</summary>
    public void Start()
    {
        lock (_lock)
        {
            if (_ended)
            {
                return;
            }

            _started = true;
            _startTimestamp = Stopwatch.GetTimestamp();
            _instance.Process.Output.WritePlatformLine($"START RequestId: {_requestId} Version: {InstanceEnvironment.LambdaVersion}");
        }
    }

    /// <summary>
    /// Writes <c>END</c> and <c>REPORT</c> for an invocation that ended with <paramref name="outcome"/>, once, if the
    /// instance took it.
    /// </summary>
    public void End(Outcome outcome)
    {
        lock (_lock)
        {
            var started = _started && !_ended;
            _ended = true;
            if (started)
            {
                WriteEnd(outcome);
            }
        }
    }

    private void WriteEnd(Outcome outcome)
    {
        var duration = Stopwatch.GetElapsedTime(_startTimestamp).TotalMilliseconds;

        // Lambda bills a cold start's init with it (a custom runtime's always, any on-demand function's since August 2025).
        var billed = Math.Ceiling(duration + (_coldStart ? _instance.InitDuration.TotalMilliseconds : 0));
        var output = _instance.Process.Output;
        if (outcome == Outcome.Timeout)
        {
            output.WritePlatformLine(string.Create(
                CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {_requestId} Task timed out after {_timeout.TotalSeconds:F2} seconds"));
        }

        output.WritePlatformLine($"END RequestId: {_requestId}");
        // Each field ends with a tab, the last one too, as in Lambda's own lines.
        var report = string.Create(
            CultureInfo.InvariantCulture,
            $"REPORT RequestId: {_requestId}\tDuration: {duration:F2} ms\tBilled Duration: {billed:F0} ms\tMemory Size: {_memorySize} MB\tMax Memory Used: {_instance.Process.PeakMemoryBytes() / (1024 * 1024)} MB\t");
        output.WritePlatformLine(_coldStart
            ? string.Create(CultureInfo.InvariantCulture, $"{report}Init Duration: {_instance.InitDuration.TotalMilliseconds:F2} ms\t")
            : report);
    }
}
