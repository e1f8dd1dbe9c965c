using System.Buffers.Binary;
using System.Net.Sockets;
using static Gateway.Tests.Attacks.HpackFields;

namespace Gateway.Tests.Attacks;

/// <summary>
/// The frames of <see cref="RawHttp2Connection"/>: each written whole, read one at a time, the server's SETTINGS acknowledged
/// and its WINDOW_UPDATEs counted on the way.
/// </summary>
internal sealed class Http2FrameStream
{
    internal const byte DataFrame = 0x0, HeadersFrame = 0x1, ResetStreamFrame = 0x3, SettingsFrame = 0x4, PingFrame = 0x6, GoAwayFrame = 0x7, WindowUpdateFrame = 0x8;
    internal const byte EndStream = 0x1, EndHeaders = 0x4, Ack = 0x1;
    internal const int InitialWindowSizeSetting = 0x4, DefaultWindow = 65_535, MaxDataFrameBytes = 16_384;

    private readonly NetworkStream _stream;

    public Http2FrameStream(NetworkStream stream) => _stream = stream;

    /// <summary>What the client may still send: on the connection, and on the stream of the request.</summary>
    internal sealed class SendWindows
    {
        public int Connection { get; set; } = DefaultWindow;

        public int Stream { get; set; } = DefaultWindow;
    }

    /// <summary>
    /// The next frame for <paramref name="streamId"/> or the connection, after acknowledging SETTINGS and applying window
    /// updates (a GOAWAY reads as a reset of the stream); null when the connection ended.
    /// </summary>
    internal async Task<(byte Type, byte Flags, int StreamId, byte[] Payload)?> ReadFrameAsync(SendWindows flow, int streamId, CancellationToken cancellationToken)
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
                return (ResetStreamFrame, 0, streamId, payload);
        }

        return (type, flags, frameStream, payload);
    }

    /// <summary>The status of the answer on <paramref name="streamId"/>; null when the stream or the connection was reset or ended.</summary>
    internal async Task<int?> ReadStatusAsync(int streamId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var flow = new SendWindows();
        while (await ReadFrameAsync(flow, streamId, timeout.Token) is { } frame)
        {
            if (frame.StreamId == streamId && frame.Type is ResetStreamFrame or HeadersFrame)
            {
                return frame.Type == HeadersFrame ? DecodeStatus(frame.Payload) : null;
            }
        }

        return null;
    }

    internal async Task WriteFrameAsync(byte type, byte flags, int streamId, byte[] payload)
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
}
