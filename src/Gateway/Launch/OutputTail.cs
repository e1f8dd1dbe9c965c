using System.Text;

namespace FcGateway.Launch;

/// <summary>
/// The latest lines a launched instance wrote to stdout and stderr (up to <see cref="KeptChars"/> characters), numbered
/// in the order the gateway read them, so that an invocation can be given the lines written while it ran: FC's
/// <c>x-fc-log-type: Tail</c>, answered with the last <see cref="MaxBytes"/> bytes in <c>X-Fc-Log-Result</c>.
/// </summary>
internal sealed class OutputTail
{
    /// <summary>FC returns the last 4 KB of an invocation's log.</summary>
    public const int MaxBytes = 4096;

    private const int KeptChars = 64 * 1024;

    /// <summary>How far past the cut the tail may begin, to begin at a line.</summary>
    private const int LineAlignmentChars = 512;

    private readonly Lock _gate = new();
    private readonly Queue<(long Number, string Text)> _lines = new();
    private long _next;
    private int _chars;

    /// <summary>The number the next line will have: the lines from here on are written after this call.</summary>
    public long Mark()
    {
        lock (_gate)
        {
            return _next;
        }
    }

    public void Add(string line)
    {
        lock (_gate)
        {
            _lines.Enqueue((_next++, line));
            _chars += line.Length;
            while (_chars > KeptChars && _lines.Count > 1)
            {
                _chars -= _lines.Dequeue().Text.Length;
            }
        }
    }

    /// <summary>
    /// The lines from <paramref name="mark"/> on, each ended by a line feed, cut to their last <see cref="MaxBytes"/> UTF-8
    /// bytes: at the first line that starts within <see cref="LineAlignmentChars"/> characters of the cut, else at a character.
    /// </summary>
    public string Since(long mark)
    {
        var text = new StringBuilder();
        lock (_gate)
        {
            foreach (var (number, line) in _lines)
            {
                if (number >= mark)
                {
                    text.Append(line).Append('\n');
                }
            }
        }

        return LastBytes(text.ToString());
    }

    private static string LastBytes(string text)
    {
        if (Encoding.UTF8.GetByteCount(text) <= MaxBytes)
        {
            return text;
        }

        // From the end, as many characters as fit, never half a surrogate pair; then from the first line that starts within.
        var start = text.Length;
        var bytes = 0;
        while (start > 0)
        {
            var width = char.IsLowSurrogate(text[start - 1]) && start > 1 ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(text.AsSpan(start - width, width));
            if (bytes + size > MaxBytes)
            {
                break;
            }

            bytes += size;
            start -= width;
        }

        // A line starting near the cut is where the tail begins, so it does not open with a scrap of a line; one further in
        // would cost the end of a long line before it (a 6 KB line, then "FC Invoke End": only the last line was left).
        var lineStart = text.IndexOf('\n', start - 1);
        return text[start - 1] != '\n' && lineStart >= 0 && lineStart + 1 < text.Length && lineStart + 1 - start <= LineAlignmentChars
            ? text[(lineStart + 1)..]
            : text[start..];
    }
}
