using System.Text.Json;
using System.Text;
using FcGateway.Buffers;
using FcGateway.Dialects.FcV1.Events;
using static Gateway.Tests.Events.EventRequests;

namespace Gateway.Tests.Events;

/// <summary>The event as a whole: one JSON object with every field, written the same into any buffer, each write holding only its own event.</summary>
public sealed class HttpTriggerEventWriterTests
{
    [Fact]
    public void Write_AnyRequest_IsOneJsonObjectWithEveryEventField()
    {
        using var document = WriteDocument(Create());
        var root = document.RootElement;

        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Equal(["body", "headers", "isBase64Encoded", "queryParameters", "rawPath", "requestContext", "version"], PropertyNames(root).Order(StringComparer.Ordinal));
        Assert.Equal("v1", root.GetProperty("version").GetString());
        var context = root.GetProperty("requestContext");
        Assert.Equal(["accountId", "domainName", "domainPrefix", "http", "requestId", "time", "timeEpoch"], PropertyNames(context).Order(StringComparer.Ordinal));
        Assert.Equal(["method", "path", "protocol", "sourceIp", "userAgent"], PropertyNames(context.GetProperty("http")).Order(StringComparer.Ordinal));
        Assert.Equal("1234567890", context.GetProperty("accountId").GetString());
        Assert.Equal("1-64f6cd87-e01edb1cce58240ed59b59d9", context.GetProperty("requestId").GetString());
        Assert.Equal("HTTP/1.1", context.GetProperty("http").GetProperty("protocol").GetString());
    }

    [Fact]
    public void Write_IntoPooledBuffer_WritesTheSameBytes()
    {
        var request = Create(headers: TextHeaders(), body: Encoding.UTF8.GetBytes(LargeText(40_000)));
        using var buffer = new PooledBuffer(256);

        HttpTriggerEventWriter.Write(buffer, request);

        Assert.Equal(WriteBytes(request), buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Write_TwiceOnOneThread_EachOutputHoldsOnlyItsOwnEvent()
    {
        var first = new System.Buffers.ArrayBufferWriter<byte>();
        var second = new System.Buffers.ArrayBufferWriter<byte>();

        HttpTriggerEventWriter.Write(first, Create(rawPath: "/first"));
        HttpTriggerEventWriter.Write(second, Create(rawPath: "/second"));

        using var firstDocument = JsonDocument.Parse(first.WrittenMemory);
        using var secondDocument = JsonDocument.Parse(second.WrittenMemory);
        Assert.Equal("/first", firstDocument.RootElement.GetProperty("rawPath").GetString());
        Assert.Equal("/second", secondDocument.RootElement.GetProperty("rawPath").GetString());
    }
}
