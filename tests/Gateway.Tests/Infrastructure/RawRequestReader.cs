using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Reads HTTP/1.1 requests off a scripted worker's connection as bytes: a head, then the body its Content-Length
/// announces, so a connection can carry several (<see cref="WireWorker"/>, <c>HostileWorker</c>).
/// </summary>
public sealed class RawRequestReader(NetworkStream stream)
{
    private readonly List<byte> _pending = [];
    private readonly byte[] _buffer = new byte[16 * 1024];

    /// <summary>The next request's head, without its blank line; null once the connection ends.</summary>
    public async Task<string?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var text = Encoding.Latin1.GetString([.. _pending]);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.RemoveRange(0, end + 4);
                return text[..end];
            }

            if (!await ReceiveAsync(cancellationToken))
            {
                return null;
            }
        }
    }

    /// <summary>Passes over the body <paramref name="head"/> announces; false when the connection ends before it does.</summary>
    public async Task<bool> SkipBodyAsync(string head, CancellationToken cancellationToken)
    {
        var length = ContentLength(head);
        while (_pending.Count < length)
        {
            if (!await ReceiveAsync(cancellationToken))
            {
                return false;
            }
        }

        _pending.RemoveRange(0, length);
        return true;
    }

    /// <summary>Reads, keeping nothing, until the connection ends.</summary>
    public async Task ReadToEndAsync(CancellationToken cancellationToken)
    {
        while (await stream.ReadAsync(_buffer, cancellationToken) > 0)
        {
        }
    }

    private async Task<bool> ReceiveAsync(CancellationToken cancellationToken)
    {
        var read = await stream.ReadAsync(_buffer, cancellationToken);
        _pending.AddRange(_buffer.AsSpan(0, read));
        return read > 0;
    }

    private static int ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
