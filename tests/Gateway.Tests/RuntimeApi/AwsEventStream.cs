using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Gateway.Tests.RuntimeApi;

/// <summary>One message of an AWS event stream, read by <see cref="AwsEventStream.Read"/>.</summary>
internal sealed record AwsEventStreamMessage(IReadOnlyDictionary<string, string> Headers, byte[] Payload)
{
    public string EventType => Headers[":event-type"];

    public string PayloadText => Encoding.UTF8.GetString(Payload);
}

/// <summary>Reads an AWS event stream as a client does, each message's prelude and whole CRC-32 checked.</summary>
internal static class AwsEventStream
{
    /// <summary>Reads the next whole message from <paramref name="stream"/>, as it comes.</summary>
    public static async Task<AwsEventStreamMessage> ReadNextAsync(Stream stream)
    {
        var prelude = new byte[4];
        await stream.ReadExactlyAsync(prelude).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        var message = new byte[BinaryPrimitives.ReadInt32BigEndian(prelude)];
        prelude.CopyTo(message, 0);
        await stream.ReadExactlyAsync(message.AsMemory(4)).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        return Assert.Single(Read(message));
    }

    public static List<AwsEventStreamMessage> Read(byte[] stream)
    {
        var messages = new List<AwsEventStreamMessage>();
        var rest = stream.AsSpan();
        while (!rest.IsEmpty)
        {
            var total = BinaryPrimitives.ReadInt32BigEndian(rest);
            var headersLength = BinaryPrimitives.ReadInt32BigEndian(rest[4..]);
            Assert.Equal(Crc32.HashToUInt32(rest[..8]), BinaryPrimitives.ReadUInt32BigEndian(rest[8..]));
            var message = rest[..total];
            Assert.Equal(Crc32.HashToUInt32(message[..^4]), BinaryPrimitives.ReadUInt32BigEndian(message[^4..]));

            var headers = new Dictionary<string, string>();
            var header = message.Slice(12, headersLength);
            while (!header.IsEmpty)
            {
                var name = Encoding.ASCII.GetString(header.Slice(1, header[0]));
                header = header[(1 + header[0])..];
                Assert.Equal(7, header[0]);
                var length = BinaryPrimitives.ReadUInt16BigEndian(header[1..]);
                headers[name] = Encoding.UTF8.GetString(header.Slice(3, length));
                header = header[(3 + length)..];
            }

            messages.Add(new(headers, message[(12 + headersLength)..^4].ToArray()));
            rest = rest[total..];
        }

        return messages;
    }
}
