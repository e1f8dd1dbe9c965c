using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Attacks;

/// <summary>
/// One HTTP/1.1 connection kept open across requests, written byte for byte, whose responses are read one at a
/// time by their own framing (Content-Length, chunked, or until close): what a pipelining or keep-alive client
/// sees, including interim (1xx) responses, which are returned as responses of their own.
/// </summary>
public sealed class RawConnection : IAsyncDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly MemoryStream _pending = new();

    private RawConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawConnection> OpenAsync(string baseUrl)
    {
        var uri = new Uri(baseUrl);
        var client = new TcpClient();
        await client.ConnectAsync(uri.Host, uri.Port);
        return new RawConnection(client);
    }

    /// <summary>Writes <paramref name="text"/> as Latin-1 bytes (so a test can send any byte value), line ends as written.</summary>
    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Reads the next response; null when the server closed the connection before a status line.</summary>
    public async Task<RawResponse?> ReadResponseAsync(bool headRequest = false)
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        var head = await ReadHeadAsync(timeout.Token);
        if (head is null)
        {
            return null;
        }

        var status = int.Parse(head[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = head.Skip(1)
            .Select(line => line.Split(':', 2))
            .Select(parts => new KeyValuePair<string, string>(parts[0], parts.Length > 1 ? parts[1].Trim() : ""))
            .ToList();
        var response = new RawResponse(status, headers, "");
        if (headRequest || status is < 200 or 204 or 304)
        {
            return response;
        }

        byte[] body;
        if (response.Header("Transfer-Encoding") is { } encoding && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = await ReadChunkedAsync(timeout.Token);
        }
        else if (response.Header("Content-Length") is { } length)
        {
            body = await ReadExactlyAsync(int.Parse(length, CultureInfo.InvariantCulture), timeout.Token);
        }
        else
        {
            body = await ReadToEndAsync(timeout.Token);
        }

        return response with { Body = Encoding.UTF8.GetString(body) };
    }

    /// <summary>True when the server has closed the connection (reads end) within the read timeout.</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        try
        {
            var rest = await ReadToEndAsync(timeout.Token);
            return rest.Length == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private async Task<string[]?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var buffered = _pending.ToArray();
            var end = buffered.AsSpan().IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                Consume(end + 4);
                return Encoding.Latin1.GetString(buffered, 0, end).Split("\r\n");
            }

            if (!await FillAsync(cancellationToken))
            {
                return null;
            }
        }
    }

    private async Task<byte[]> ReadChunkedAsync(CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var sizeLine = Encoding.Latin1.GetString(await ReadLineAsync(cancellationToken));
            var size = int.Parse(sizeLine.Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                while ((await ReadLineAsync(cancellationToken)).Length > 0)
                {
                }

                return body.ToArray();
            }

            body.Write(await ReadExactlyAsync(size, cancellationToken));
            await ReadLineAsync(cancellationToken);
        }
    }

    private async Task<byte[]> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var buffered = _pending.ToArray();
            var end = buffered.AsSpan().IndexOf("\r\n"u8);
            if (end >= 0)
            {
                Consume(end + 2);
                return buffered[..end];
            }

            if (!await FillAsync(cancellationToken))
            {
                throw new IOException("The connection closed inside a chunked body.");
            }
        }
    }

    private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        while (_pending.Length < count)
        {
            if (!await FillAsync(cancellationToken))
            {
                throw new IOException($"The connection closed after {_pending.Length} of {count} body bytes.");
            }
        }

        var bytes = _pending.ToArray()[..count];
        Consume(count);
        return bytes;
    }

    private async Task<byte[]> ReadToEndAsync(CancellationToken cancellationToken)
    {
        while (await FillAsync(cancellationToken))
        {
        }

        var bytes = _pending.ToArray();
        Consume(bytes.Length);
        return bytes;
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var read = await _stream.ReadAsync(buffer, cancellationToken);
        _pending.Write(buffer, 0, read);
        return read > 0;
    }

    private void Consume(int count)
    {
        var rest = _pending.ToArray()[count..];
        _pending.SetLength(0);
        _pending.Write(rest);
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
        await _pending.DisposeAsync();
    }
}
