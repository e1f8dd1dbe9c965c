using System.Net.Sockets;
using static Gateway.Tests.Attacks.HpackFields;
using static Gateway.Tests.Attacks.Http2FrameStream;

namespace Gateway.Tests.Attacks;

/// <summary>
/// A cleartext HTTP/2 connection (prior knowledge) that writes header blocks field by field — HPACK literals without
/// Huffman coding — so a test can send what HttpClient never would (connection-specific fields, odd names), and reads
/// what the server answers on the stream: a status, or the stream or connection being reset.
/// </summary>
public sealed class RawHttp2Connection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly Http2FrameStream _frames;
    private int _nextStreamId = 1;
    private (int StreamId, SendWindows? Flow) _lastStream;

    private RawHttp2Connection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _frames = new Http2FrameStream(_stream);
    }

    public static async Task<RawHttp2Connection> OpenAsync(string baseUrl)
    {
        var uri = new Uri(baseUrl);
        var client = new TcpClient();
        await client.ConnectAsync(uri.Host, uri.Port);
        var connection = new RawHttp2Connection(client);
        await connection._stream.WriteAsync("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray());
        await connection._frames.WriteFrameAsync(SettingsFrame, 0, 0, []);
        return connection;
    }

    /// <summary>Sends a GET with the given regular fields; returns the response status, or null when the stream or connection was reset.</summary>
    public async Task<int?> GetAsync(string path, params (string Name, string Value)[] fields)
    {
        var block = new MemoryStream();
        block.WriteByte(0x82);
        block.WriteByte(0x86);
        WriteLiteral(block, nameIndex: 4, name: null, path);
        WriteLiteral(block, nameIndex: 1, name: null, "localhost");
        foreach (var (name, value) in fields)
        {
            WriteLiteral(block, nameIndex: 0, name, value);
        }

        var streamId = _nextStreamId;
        _nextStreamId += 2;
        await _frames.WriteFrameAsync(HeadersFrame, EndHeaders | EndStream, streamId, block.ToArray());
        return await _frames.ReadStatusAsync(streamId);
    }

    /// <summary>
    /// Sends a POST that declares a body of <paramref name="bodyBytes"/> and sends none of it until the response has ended,
    /// then the body (or its first <paramref name="sentBytes"/>) as the server's flow control lets it, then a PING. Returns
    /// the status and whether the server reset the stream before its PING answer — which it must, to end the stream,
    /// unless it reads the body it did not need. The request goes to <paramref name="authority"/>, with <paramref name="fields"/>.
    /// </summary>
    public Task<(int? Status, bool Reset)> PostAnsweredBeforeItsBodyAsync(
        string path, int bodyBytes, int? sentBytes = null, string authority = "localhost", params (string Name, string Value)[] fields) =>
        PostAsync(path, bodyBytes, sentBytes ?? bodyBytes, declareLength: true, answerFirst: true, authority, fields);

    /// <summary>
    /// Sends a POST of <paramref name="bodyBytes"/> that declares no length, the body at once as flow control lets it,
    /// then a PING. Returns the status and whether the server reset the stream before its PING answer.
    /// </summary>
    public Task<(int? Status, bool Reset)> PostWithoutLengthAsync(string path, int bodyBytes) =>
        PostAsync(path, bodyBytes, bodyBytes, declareLength: false, answerFirst: false, "localhost", []);

    private async Task<(int? Status, bool Reset)> PostAsync(
        string path, int bodyBytes, int sentBytes, bool declareLength, bool answerFirst, string authority, (string Name, string Value)[] fields)
    {
        var block = new MemoryStream();
        block.WriteByte(0x83);
        block.WriteByte(0x86);
        WriteLiteral(block, nameIndex: 4, name: null, path);
        WriteLiteral(block, nameIndex: 1, name: null, authority);
        if (declareLength)
        {
            WriteLiteral(block, nameIndex: 0, "content-length", bodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        foreach (var (name, value) in fields)
        {
            WriteLiteral(block, nameIndex: 0, name, value);
        }

        var streamId = _nextStreamId;
        _nextStreamId += 2;
        await _frames.WriteFrameAsync(HeadersFrame, EndHeaders, streamId, block.ToArray());

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var flow = new SendWindows();
        int? status = null;
        var answered = false;

        // One frame read: false when the stream or the connection was reset; the answer's status and end noted.
        async Task<bool> ReadOneAsync()
        {
            switch (await _frames.ReadFrameAsync(flow, streamId, timeout.Token))
            {
                case null or { Type: ResetStreamFrame }:
                    return false;
                case { Type: HeadersFrame } headers:
                    status = DecodeStatus(headers.Payload);
                    answered = (headers.Flags & EndStream) != 0;
                    break;
                case { Type: DataFrame } data:
                    answered = (data.Flags & EndStream) != 0;
                    break;
            }

            return true;
        }

        while (answerFirst && !answered)
        {
            if (!await ReadOneAsync())
            {
                return (status, true);
            }
        }

        for (var sent = 0; sent < sentBytes;)
        {
            var room = Math.Min(Math.Min(flow.Connection, flow.Stream), Math.Min(MaxDataFrameBytes, sentBytes - sent));
            if (room > 0)
            {
                sent += room;
                flow.Connection -= room;
                flow.Stream -= room;
                await _frames.WriteFrameAsync(DataFrame, sent == bodyBytes ? EndStream : (byte)0, streamId, new byte[room]);
            }
            else if (!await ReadOneAsync())
            {
                return (status, true);
            }
        }

        // The whole answer, which may come after the body it refused.
        while (!answered)
        {
            if (!await ReadOneAsync())
            {
                return (status, true);
            }
        }

        _lastStream = (streamId, flow);
        await _frames.WriteFrameAsync(PingFrame, 0, 0, new byte[8]);
        while (await _frames.ReadFrameAsync(flow, streamId, timeout.Token) is { } frame)
        {
            switch (frame.Type)
            {
                case ResetStreamFrame:
                    return (status, true);
                case PingFrame when (frame.Flags & Ack) != 0:
                    return (status, false);
            }
        }

        return (status, true);
    }

    /// <summary>Whether the stream of the last <see cref="PostAnsweredBeforeItsBodyAsync"/> is reset within 30 seconds.</summary>
    public async Task<bool> LastStreamIsResetAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var (streamId, flow) = _lastStream;
        try
        {
            while (await _frames.ReadFrameAsync(flow!, streamId, timeout.Token) is { } frame)
            {
                if (frame.Type == ResetStreamFrame)
                {
                    return true;
                }
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
    }
}
