using System.Text.Json;
using System.Text;
using FcGateway.Buffers;
using FcGateway.Dialects.FcV1.Events;

namespace Gateway.Tests.Events;

public sealed class EventContentTests
{
    public static TheoryData<string, byte[]> Bodies()
    {
        var chunk = JsonStringBody.ChunkBytes;
        var multiByteAcrossChunks = Encoding.UTF8.GetBytes(new string('a', chunk - 1) + "é\"中\n😀" + new string('"', 100));
        var binary = Enumerable.Range(0, (3 * chunk) + 2).Select(i => (byte)(i * 7)).ToArray();
        return new TheoryData<string, byte[]>
        {
            { "text/plain", [] },
            { "text/plain", Encoding.UTF8.GetBytes("Hello FC!") },
            { "application/json", Encoding.UTF8.GetBytes("{\"message\": \"Hello\\n\", \"ctl\": \"\u0001\"}") },
            { "text/plain", multiByteAcrossChunks },
            { "application/octet-stream", binary },
            { "application/octet-stream", [1] },
            { "text/plain", [0xff, 0xfe, (byte)'a'] },
            { "text/plain", Encoding.UTF8.GetBytes(new string('x', EventContent.InlineBodyBytes)) },
            { "text/plain", Encoding.UTF8.GetBytes(new string('x', EventContent.InlineBodyBytes + 1)) },
        };
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task StreamedEvent_IsTheWrittenEvent_WithItsExactLength(string contentType, byte[] body)
    {
        var request = EventRequests.Create(headers: EventRequests.Headers(("Content-Type", contentType)), body: body);
        using var head = new PooledBuffer();
        var base64 = HttpTriggerEventWriter.WriteHead(head, request);
        using var content = new EventContent(head, body, base64);

        var streamed = await content.ReadAsByteArrayAsync();

        Assert.Equal(EventRequests.WriteBytes(request), streamed);
        Assert.Equal(streamed.Length, content.Headers.ContentLength);
        using var parsed = JsonDocument.Parse(streamed);
        var bodyValue = parsed.RootElement.GetProperty("body").GetString()!;
        Assert.Equal(body, base64 ? Convert.FromBase64String(bodyValue) : Encoding.UTF8.GetBytes(bodyValue));
    }

    /// <summary>The gateway's own client writes the event into one buffer: the same bytes as streaming it.</summary>
    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task TheEventWrittenWhole_IsTheStreamedEvent(string contentType, byte[] body)
    {
        var request = EventRequests.Create(headers: EventRequests.Headers(("Content-Type", contentType)), body: body);
        using var head = new PooledBuffer();
        var base64 = HttpTriggerEventWriter.WriteHead(head, request);
        using var content = new EventContent(head, body, base64);
        using var whole = new PooledBuffer();

        content.WriteWhole(whole);

        Assert.Equal(await content.ReadAsByteArrayAsync(), whole.WrittenSpan.ToArray());
        Assert.Equal(whole.WrittenCount, content.Length);
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task SerializingAgain_WritesTheSameEvent(string contentType, byte[] body)
    {
        var request = EventRequests.Create(headers: EventRequests.Headers(("Content-Type", contentType)), body: body);
        using var head = new PooledBuffer();
        var base64 = HttpTriggerEventWriter.WriteHead(head, request);
        using var content = new EventContent(head, body, base64);
        using var first = new MemoryStream();
        using var second = new MemoryStream();

        await content.CopyToAsync(first);
        await content.CopyToAsync(second);

        Assert.Equal(EventRequests.WriteBytes(request), first.ToArray());
        Assert.Equal(first.ToArray(), second.ToArray());
    }

    [Theory]
    [InlineData("application/octet-stream", EventContent.InlineBodyBytes + 1, 2)]
    [InlineData("application/octet-stream", (2 * JsonStringBody.ChunkBytes) + 17, 3)]
    [InlineData("text/plain", (2 * JsonStringBody.ChunkBytes) + 17, 3)]
    public async Task ALargerBody_GoesOutInOneWritePerEncodingStep_WithTheHeadAndTailInThem(string contentType, int bodyBytes, int expectedWrites)
    {
        var body = contentType == "text/plain"
            ? Enumerable.Range(0, bodyBytes).Select(i => (byte)('a' + (i % 26))).ToArray()
            : Enumerable.Range(0, bodyBytes).Select(i => (byte)i).ToArray();
        var request = EventRequests.Create(headers: EventRequests.Headers(("Content-Type", contentType)), body: body);
        using var head = new PooledBuffer();
        var base64 = HttpTriggerEventWriter.WriteHead(head, request);
        using var content = new EventContent(head, body, base64);
        using var writes = new WriteRecordingStream();

        await content.CopyToAsync(writes);

        // Each write is a send to the worker and a receive there: the head and tail need none of their own.
        Assert.Equal(expectedWrites, writes.Count);
        Assert.Equal(EventRequests.WriteBytes(request), writes.ToArray());
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(7, 100)]
    [InlineData(11, 5_000)]
    [InlineData(13, JsonStringBody.ChunkBytes + 17)]
    public void DenseAndSparseEscapes_AreWrittenAsAByteByByteEscaper_Would(int seed, int length)
    {
        byte[] alphabet = [(byte)'"', (byte)'\\', (byte)'\n', 0x01, 0x1f, (byte)'a', (byte)'{', (byte)':', 0xc3, 0xa9];
        var random = new Random(seed);
        var body = new byte[length];
        for (var i = 0; i < body.Length; i++)
        {
            // Runs of plain bytes of every length between escapes, so both the search and the look-ahead are crossed.
            body[i] = random.Next(4) == 0 ? alphabet[random.Next(alphabet.Length)] : (byte)'a';
        }

        using var written = new PooledBuffer();
        JsonStringBody.WriteContent(written, body, base64: false);

        Assert.Equal(EscapeByteByByte(body), written.WrittenSpan.ToArray());
        Assert.Equal(written.WrittenCount, JsonStringBody.EncodedLength(body, base64: false));
    }

    [Theory]
    [InlineData("", false, 0)]
    [InlineData("abc", false, 3)]
    [InlineData("a\"b\\c", false, 7)]
    [InlineData("\n\r\t\b\f", false, 10)]
    [InlineData("\u0001\u001f", false, 12)]
    [InlineData("é", false, 2)]
    [InlineData("", true, 0)]
    [InlineData("a", true, 4)]
    [InlineData("ab", true, 4)]
    [InlineData("abc", true, 4)]
    [InlineData("abcd", true, 8)]
    public void EncodedLength_IsTheLengthWritten(string text, bool base64, long expected)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        using var written = new PooledBuffer();

        JsonStringBody.WriteContent(written, bytes, base64);

        Assert.Equal(expected, JsonStringBody.EncodedLength(bytes, base64));
        Assert.Equal(expected, written.WrittenCount);
    }

    private static byte[] EscapeByteByByte(byte[] body)
    {
        var escaped = new List<byte>();
        foreach (var value in body)
        {
            var text = value switch
            {
                (byte)'"' => "\\\"",
                (byte)'\\' => "\\\\",
                (byte)'\n' => "\\n",
                (byte)'\r' => "\\r",
                (byte)'\t' => "\\t",
                (byte)'\b' => "\\b",
                (byte)'\f' => "\\f",
                < 0x20 => $"\\u{value:x4}",
                _ => null,
            };
            if (text is null)
            {
                escaped.Add(value);
            }
            else
            {
                escaped.AddRange(Encoding.ASCII.GetBytes(text));
            }
        }

        return [.. escaped];
    }

    private sealed class WriteRecordingStream : MemoryStream
    {
        public int Count { get; private set; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Count++;
            return base.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Count++;
            return base.WriteAsync(buffer, offset, count, cancellationToken);
        }
    }
}
