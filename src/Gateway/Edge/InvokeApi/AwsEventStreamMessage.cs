using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace FcGateway.Edge.InvokeApi;

/// <summary>
/// Writes one message of the AWS event stream encoding (<c>application/vnd.amazon.eventstream</c>), as Lambda's
/// InvokeWithResponseStream answers in: a prelude (the total length, the headers' length, and the CRC-32 of those
/// eight bytes), the headers, the payload, and the CRC-32 of all that came before — every number big-endian. Each
/// header is a name (its length in one byte), a type (7: string) and a value (its length in two bytes).
/// </summary>
internal static class AwsEventStreamMessage
{
    private const int PreludeLength = 12;
    private const int CrcLength = 4;
    private const byte StringType = 7;
    private const string MessageTypeValue = "event";

    /// <summary>
    /// An event message (<c>:message-type</c> <c>event</c>) of the <paramref name="eventType"/> given, whose payload is of
    /// <paramref name="contentType"/>.
    /// </summary>
    public static void WriteEvent(IBufferWriter<byte> writer, string eventType, string contentType, ReadOnlySpan<byte> payload)
    {
        var headersLength = HeaderLength(":event-type", eventType) + HeaderLength(":content-type", contentType) + HeaderLength(":message-type", MessageTypeValue);
        var totalLength = PreludeLength + headersLength + payload.Length + CrcLength;
        var message = writer.GetSpan(totalLength)[..totalLength];

        BinaryPrimitives.WriteInt32BigEndian(message, totalLength);
        BinaryPrimitives.WriteInt32BigEndian(message[4..], headersLength);
        BinaryPrimitives.WriteUInt32BigEndian(message[8..], Crc32.HashToUInt32(message[..8]));
        var rest = message[PreludeLength..];
        rest = WriteHeader(rest, ":event-type", eventType);
        rest = WriteHeader(rest, ":content-type", contentType);
        rest = WriteHeader(rest, ":message-type", MessageTypeValue);
        payload.CopyTo(rest);
        BinaryPrimitives.WriteUInt32BigEndian(message[^CrcLength..], Crc32.HashToUInt32(message[..^CrcLength]));
        writer.Advance(totalLength);
    }

    private static int HeaderLength(string name, string value) => 1 + name.Length + 1 + 2 + Encoding.UTF8.GetByteCount(value);

    private static Span<byte> WriteHeader(Span<byte> destination, string name, string value)
    {
        destination[0] = (byte)name.Length;
        var written = 1 + Encoding.ASCII.GetBytes(name, destination[1..]);
        destination[written++] = StringType;
        var valueLength = Encoding.UTF8.GetBytes(value, destination[(written + 2)..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[written..], (ushort)valueLength);
        return destination[(written + 2 + valueLength)..];
    }
}
