using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Tests.Attacks;

/// <summary>
/// A cleartext HTTP/2 connection (prior knowledge) that writes header blocks field by field — HPACK literals without
/// Huffman coding — so a test can send what HttpClient never would (connection-specific fields, odd names), and reads
/// what the server answers on the stream: a status, or the stream or connection being reset.
/// </summary>
public sealed class RawHttp2Connection : IAsyncDisposable
{
    private const byte DataFrame = 0x0, HeadersFrame = 0x1, ResetStreamFrame = 0x3, SettingsFrame = 0x4, PingFrame = 0x6, GoAwayFrame = 0x7, WindowUpdateFrame = 0x8;
    private const byte EndStream = 0x1, EndHeaders = 0x4, Ack = 0x1;
    private const int InitialWindowSizeSetting = 0x4, DefaultWindow = 65_535, MaxDataFrameBytes = 16_384;
    private static readonly int[] StaticStatuses = [200, 204, 206, 304, 400, 404, 500];

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private int _nextStreamId = 1;
    private (int StreamId, SendWindows? Flow) _lastStream;

    private RawHttp2Connection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawHttp2Connection> OpenAsync(string baseUrl)
    {
        var uri = new Uri(baseUrl);
        var client = new TcpClient();
        await client.ConnectAsync(uri.Host, uri.Port);
        var connection = new RawHttp2Connection(client);
        await connection._stream.WriteAsync("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray());
        await connection.WriteFrameAsync(SettingsFrame, 0, 0, []);
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
        await WriteFrameAsync(HeadersFrame, EndHeaders | EndStream, streamId, block.ToArray());
        return await ReadStatusAsync(streamId);
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
        await WriteFrameAsync(HeadersFrame, EndHeaders, streamId, block.ToArray());

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var flow = new SendWindows();
        int? status = null;
        var answered = false;

        // One frame read: false when the stream or the connection was reset; the answer's status and end noted.
        async Task<bool> ReadOneAsync()
        {
            switch (await ReadFrameAsync(flow, streamId, timeout.Token))
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
                await WriteFrameAsync(DataFrame, sent == bodyBytes ? EndStream : (byte)0, streamId, new byte[room]);
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
        await WriteFrameAsync(PingFrame, 0, 0, new byte[8]);
        while (await ReadFrameAsync(flow, streamId, timeout.Token) is { } frame)
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
            while (await ReadFrameAsync(flow!, streamId, timeout.Token) is { } frame)
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

    /// <summary>What the client may still send: on the connection, and on the stream of the request.</summary>
    private sealed class SendWindows
    {
        public int Connection { get; set; } = DefaultWindow;

        public int Stream { get; set; } = DefaultWindow;
    }

    /// <summary>
    /// The next frame for <paramref name="streamId"/> or the connection, after acknowledging SETTINGS and applying window
    /// updates (a GOAWAY reads as a reset of the stream); null when the connection ended.
    /// </summary>
    private async Task<(byte Type, byte Flags, byte[] Payload)?> ReadFrameAsync(SendWindows flow, int streamId, CancellationToken cancellationToken)
    {
        var header = new byte[9];
        if (!await TryReadExactlyAsync(header, cancellationToken))
        {
            return null;
        }

        var payload = new byte[(header[0] << 16) | (header[1] << 8) | header[2]];
        if (!await TryReadExactlyAsync(payload, cancellationToken))
        {
            return null;
        }

        var (type, flags) = (header[3], header[4]);
        var frameStream = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & int.MaxValue;
        switch (type)
        {
            case SettingsFrame when (flags & Ack) == 0:
                for (var at = 0; at + 6 <= payload.Length; at += 6)
                {
                    if (BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(at)) == InitialWindowSizeSetting)
                    {
                        flow.Stream += BinaryPrimitives.ReadInt32BigEndian(payload.AsSpan(at + 2)) - DefaultWindow;
                    }
                }

                await WriteFrameAsync(SettingsFrame, Ack, 0, []);
                break;
            case WindowUpdateFrame when frameStream == 0:
                flow.Connection += BinaryPrimitives.ReadInt32BigEndian(payload) & int.MaxValue;
                break;
            case WindowUpdateFrame when frameStream == streamId:
                flow.Stream += BinaryPrimitives.ReadInt32BigEndian(payload) & int.MaxValue;
                break;
            case GoAwayFrame:
                return (ResetStreamFrame, 0, payload);
        }

        return (type, flags, payload);
    }

    private async Task<int?> ReadStatusAsync(int streamId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var header = new byte[9];
        while (true)
        {
            if (!await TryReadExactlyAsync(header, timeout.Token))
            {
                return null;
            }

            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            var payload = new byte[length];
            if (!await TryReadExactlyAsync(payload, timeout.Token))
            {
                return null;
            }

            var type = header[3];
            var frameStream = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(5)) & int.MaxValue;
            if (type == GoAwayFrame || (type == ResetStreamFrame && frameStream == streamId))
            {
                return null;
            }

            if (type == SettingsFrame && (header[4] & 0x1) == 0)
            {
                await WriteFrameAsync(SettingsFrame, 0x1, 0, []);
            }
            else if (type == HeadersFrame && frameStream == streamId)
            {
                return DecodeStatus(payload);
            }
            else if (type == DataFrame)
            {
                continue;
            }
        }
    }

    /// <summary>The status is the first field the server encodes: indexed from the static table, or a literal with the :status name.</summary>
    private static int DecodeStatus(byte[] block)
    {
        if ((block[0] & 0x80) != 0)
        {
            return StaticStatuses[(block[0] & 0x7f) - 8];
        }

        var length = block[1] & 0x7f;
        return int.Parse(Encoding.ASCII.GetString(block, 2, length), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void WriteLiteral(MemoryStream block, int nameIndex, string? name, string value)
    {
        block.WriteByte((byte)nameIndex);
        if (name is not null)
        {
            WriteString(block, name);
        }

        WriteString(block, value);
    }

    /// <summary>A string literal without Huffman coding: its length an HPACK integer of a 7-bit prefix (RFC 7541 §5.1), then its bytes.</summary>
    private static void WriteString(MemoryStream block, string text)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        const int PrefixMax = 0x7f;
        if (bytes.Length < PrefixMax)
        {
            block.WriteByte((byte)bytes.Length);
        }
        else
        {
            block.WriteByte(PrefixMax);
            var rest = bytes.Length - PrefixMax;
            for (; rest >= 0x80; rest >>= 7)
            {
                block.WriteByte((byte)((rest & 0x7f) | 0x80));
            }

            block.WriteByte((byte)rest);
        }

        block.Write(bytes);
    }

    private async Task WriteFrameAsync(byte type, byte flags, int streamId, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), streamId);
        payload.CopyTo(frame, 9);
        await _stream.WriteAsync(frame);
    }

    private async Task<bool> TryReadExactlyAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            await _stream.ReadExactlyAsync(buffer, cancellationToken);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
        catch (IOException)
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
