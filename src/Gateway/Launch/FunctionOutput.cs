namespace FcGateway.Launch;

/// <summary>
/// Logs what a function process writes to stdout and stderr, one entry per line, under the category
/// <c>FcGateway.Launch.FunctionOutput</c> with the function and instance as fields. Both streams log at Information:
/// Go's <c>log</c>, Python's <c>logging</c> and most runtimes write their ordinary lines to stderr, so Warning would cry
/// wolf. The text is the process's own, so it is escaped and bounded like a field of client text
/// (<see cref="LogText.EscapeText"/>: 4,096 bytes of UTF-8, escapes included); a line is read up to
/// <see cref="MaxLineLength"/> characters, the rest dropped.
/// </summary>
internal sealed partial class FunctionOutput(ILogger<FunctionOutput> logger, string function, string instanceId)
{
    /// <summary>The longest line read whole (for the log, and whole in <see cref="Tail"/>); of a longer one, what comes after is dropped.</summary>
    public const int MaxLineLength = 8192;

    /// <summary>How many times <see cref="SettleAsync"/> looks, 1 ms apart, before it gives up waiting.</summary>
    private const int SettleChecks = 200;

    private readonly List<(TextReader Output, CappedLineReader Lines, string Stream)> _streams = [];

    /// <summary>The latest lines of both streams, for the log tail of an invocation (<c>x-fc-log-type: Tail</c>).</summary>
    public OutputTail Tail { get; } = new();

    /// <summary>
    /// Waits until what the process wrote so far has been read into <see cref="Tail"/>: both pipes empty and both readers
    /// waiting for more, seen twice 1 ms apart (the process writes its lines before it replies, but the gateway reads
    /// them on threads of their own). Gives up after ~200 ms, and at once where the pipes cannot be looked into or both
    /// have been read to their end (the process exited or closed them: nothing more can come). A line not yet ended
    /// (<c>fmt.Print("done")</c>) is then ended there: it belongs to the invocation that wrote it, not to the one that
    /// will write its end.
    /// </summary>
    public async Task SettleAsync()
    {
        var settledChecks = 0;
        for (var check = 0; check < SettleChecks && settledChecks < 2; check++)
        {
            settledChecks = IsSettled() is { } settled ? (settled ? settledChecks + 1 : 0) : 2;
            if (settledChecks < 2)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(1));
            }
        }

        EndUnendedLines();
    }

    /// <summary>Logs each line of <paramref name="output"/> until its end, a read error, or <paramref name="cancellationToken"/>; never throws.</summary>
    public async Task CopyToLogAsync(TextReader output, string stream, CancellationToken cancellationToken)
    {
        var lines = new CappedLineReader(output, MaxLineLength);
        lock (_streams)
        {
            _streams.Add((output, lines, stream));
        }

        try
        {
            while (await lines.ReadLineAsync(cancellationToken) is { } line)
            {
                Write(stream, line);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Cancelled once the process has exited and its output was given time to end, or the pipe broke: either
            // way nothing more can be read.
        }
        finally
        {
            // Read to its end: there is nothing more to wait for, and the process may now close the pipe.
            lock (_streams)
            {
                _streams.Remove((output, lines, stream));
            }
        }
    }

    /// <summary>Writes a line of the platform's own (Lambda's <c>START</c>, <c>END</c>, <c>REPORT</c>) among the process's lines.</summary>
    public void WritePlatformLine(string line) => Write("platform", new OutputLine(line, Truncated: false));

    private void Write(string stream, OutputLine line)
    {
        Tail.Add(line.Truncated ? $"{line.Text}… [truncated at {MaxLineLength} characters]" : line.Text);
        if (logger.IsEnabled(LogLevel.Information))
        {
            Log.Line(logger, function, instanceId, stream, line.Truncated ? LogText.EscapeHead(line.Text) : LogText.EscapeText(line.Text));
        }
    }

    private void EndUnendedLines()
    {
        lock (_streams)
        {
            foreach (var (_, lines, stream) in _streams)
            {
                if (lines.TakeUnendedLine() is { } text)
                {
                    Write(stream, new OutputLine(text, Truncated: false));
                }
            }
        }
    }

    /// <summary>True when every stream is read up to what was written, false when not yet, null when that cannot be told or none is left to read.</summary>
    private bool? IsSettled()
    {
        lock (_streams)
        {
            if (_streams.Count == 0)
            {
                return null;
            }

            foreach (var (output, lines, _) in _streams)
            {
                if (PipeBacklog.BytesWaiting(output) is not { } waiting)
                {
                    return null;
                }

                if (waiting > 0 || !lines.IsWaitingForText)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.FunctionOutputLine, LogLevel.Information, "{Function} {InstanceId} {Stream}: {Line}")]
        public static partial void Line(ILogger logger, string function, string instanceId, string stream, string line);
    }
}
