using System.Text;

namespace FcGateway.Launch;

/// <summary>
/// Splits text into lines at LF (a CR before it belongs to the line ending; any other CR is text, escaped when logged)
/// and keeps at most <c>maxLength</c> characters of each: the head of a longer line is returned as soon as it is
/// complete, marked truncated, and the rest up to the next LF is read and dropped, so a line without end costs no memory.
/// A line not yet ended can be taken from another thread (<see cref="TakeUnendedLine"/>); what follows it is a line of its own.
/// </summary>
internal sealed class CappedLineReader(TextReader reader, int maxLength)
{
    private readonly char[] _buffer = new char[4096];
    private readonly StringBuilder _line = new();
    private readonly Lock _gate = new();
    private int _start;
    private int _end;
    private bool _dropping;
    private bool _waiting;

    /// <summary>True while it waits for more text with none of its own left: every line it was given has been returned.</summary>
    public bool IsWaitingForText => Volatile.Read(ref _waiting);

    /// <summary>The next line, or null at the end of the text.</summary>
    public async ValueTask<OutputLine?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                Volatile.Write(ref _waiting, true);
                try
                {
                    _end = await reader.ReadAsync(_buffer, cancellationToken);
                }
                finally
                {
                    Volatile.Write(ref _waiting, false);
                }

                if (_end == 0)
                {
                    lock (_gate)
                    {
                        return _line.Length == 0 ? null : Take(truncated: false);
                    }
                }
            }

            lock (_gate)
            {
                if (Next() is { } line)
                {
                    return line;
                }
            }
        }
    }

    /// <summary>
    /// The text read so far of a line whose end has not come (a process that wrote <c>done</c> with no LF), or null when
    /// there is none; the line's rest, once it comes, is returned as a line of its own.
    /// </summary>
    public string? TakeUnendedLine()
    {
        lock (_gate)
        {
            if (_line.Length == 0)
            {
                return null;
            }

            var text = _line.ToString();
            _line.Clear();
            return text;
        }
    }

    /// <summary>Takes the buffered text up to the next line's end: that line, or null when the buffer ran out first.</summary>
    private OutputLine? Next()
    {
        while (_start != _end)
        {
            var available = _buffer.AsSpan(_start, _end - _start);
            var newline = available.IndexOf('\n');
            var text = newline < 0 ? available : available[..newline];
            _start += newline < 0 ? text.Length : newline + 1;
            if (_dropping)
            {
                _dropping = newline < 0;
                continue;
            }

            var room = maxLength - _line.Length;
            if (text.Length - (newline >= 0 && text.EndsWith('\r') ? 1 : 0) > room)
            {
                // Cut before a lone high surrogate: half a character would be invalid text in the log.
                var head = text[..room];
                _line.Append(head.Length > 0 && char.IsHighSurrogate(head[^1]) ? head[..^1] : head);
                _dropping = newline < 0;
                return Take(truncated: true);
            }

            _line.Append(text);
            if (newline >= 0)
            {
                return Take(truncated: false);
            }
        }

        return null;
    }

    private OutputLine Take(bool truncated)
    {
        var length = !truncated && _line.Length > 0 && _line[^1] == '\r' ? _line.Length - 1 : _line.Length;
        var line = new OutputLine(_line.ToString(0, length), truncated);
        _line.Clear();
        return line;
    }
}
