namespace FcGateway.Launch;

/// <summary>
/// Logs what a function process writes to stdout and stderr, one entry per line, under the category
/// <c>FcGateway.Launch.FunctionOutput</c> with the function and instance as fields. Both streams log at Information:
/// Go's <c>log</c>, Python's <c>logging</c> and most runtimes write their ordinary lines to stderr, so Warning would cry
/// wolf. The text is the process's own, so it is escaped, and a line is cut at <see cref="MaxLineLength"/> characters.
/// </summary>
internal sealed partial class FunctionOutput(ILogger<FunctionOutput> logger, string function, string instanceId)
{
    /// <summary>The longest line logged whole; a longer one is logged up to here and marked truncated.</summary>
    public const int MaxLineLength = 8192;

    /// <summary>Logs each line of <paramref name="output"/> until its end, a read error, or <paramref name="cancellationToken"/>; never throws.</summary>
    public async Task CopyToLogAsync(TextReader output, string stream, CancellationToken cancellationToken)
    {
        var lines = new CappedLineReader(output, MaxLineLength);
        try
        {
            while (await lines.ReadLineAsync(cancellationToken) is { } line)
            {
                if (logger.IsEnabled(LogLevel.Information))
                {
                    var text = LogText.Escape(line.Text);
                    Log.Line(logger, function, instanceId, stream, line.Truncated ? $"{text}… [truncated at {MaxLineLength} characters]" : text);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Cancelled once the process has exited and its output was given time to end, or the pipe broke: either
            // way nothing more can be read.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.FunctionOutputLine, LogLevel.Information, "{Function} {InstanceId} {Stream}: {Line}")]
        public static partial void Line(ILogger logger, string function, string instanceId, string stream, string line);
    }
}
