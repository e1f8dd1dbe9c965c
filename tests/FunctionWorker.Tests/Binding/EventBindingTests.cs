using System.Text;
using System.Text.Json;
using FcWorker.HttpTrigger;
using FcWorker.Tests.TestHelpers;

namespace FcWorker.Tests.Binding;

public sealed class EventBindingTests
{
    private static readonly byte[] Binary = [0x00, 0x01, 0xFE, 0xFF];

    [Fact]
    public async Task Invoke_ByteArrayEvent_ReceivesRawBytes()
    {
        await using var worker = await TestWorker.StartAsync((byte[] @event) => Convert.ToHexString(@event));

        using var response = await worker.InvokeAsync(Binary);

        Assert.Equal("0001FEFF", await FcReply.AssertSuccessAsync(response));
    }

    [Fact]
    public async Task Invoke_ReadOnlyMemoryEvent_ReceivesRawBytes()
    {
        await using var worker = await TestWorker.StartAsync((ReadOnlyMemory<byte> @event) => Convert.ToHexString(@event.Span));

        using var response = await worker.InvokeAsync(Binary);

        Assert.Equal("0001FEFF", await FcReply.AssertSuccessAsync(response));
    }

    [Fact]
    public async Task Invoke_StreamEvent_ReadsSynchronously()
    {
        await using var worker = await TestWorker.StartAsync((Stream @event) =>
        {
            using var reader = new StreamReader(@event);
            return reader.ReadToEnd();
        });

        using var response = await worker.InvokeAsync("streamed text");

        Assert.Equal("streamed text", await FcReply.AssertSuccessAsync(response));
    }

    [Fact]
    public async Task Invoke_StringEvent_DecodesUtf8()
    {
        await using var worker = await TestWorker.StartAsync((string @event) => $"[{@event}]");

        using var response = await worker.InvokeAsync(Encoding.UTF8.GetBytes("héllo, 世界"));

        Assert.Equal("[héllo, 世界]", await FcReply.AssertSuccessAsync(response));
    }

    [Fact]
    public async Task Invoke_TypedEvent_ReadsJsonCaseInsensitively()
    {
        await using var worker = await TestWorker.StartAsync((TestPayload @event) => $"{@event.Name}:{@event.Count}");

        using var response = await worker.InvokeAsync("""{"NAME":"a","count":2}""");

        Assert.Equal("a:2", await FcReply.AssertSuccessAsync(response));
    }

    [Fact]
    public async Task Invoke_DictionaryEvent_ReadsEveryMember()
    {
        await using var worker = await TestWorker.StartAsync((Dictionary<string, JsonElement> @event) => string.Join(",", @event.Keys.Order()));

        using var response = await worker.InvokeAsync("""{"b":1,"a":{"x":[]}}""");

        Assert.Equal("a,b", await FcReply.AssertSuccessAsync(response));
    }

    [Theory]
    [InlineData("{not json", "not a valid JSON TestPayload")]
    [InlineData("[1,2]", "not a valid JSON TestPayload")]
    [InlineData("", "The event is empty")]
    public async Task Invoke_EventThatDoesNotBind_ReturnsInvalidEventError(string body, string reason)
    {
        var called = false;
        await using var worker = await TestWorker.StartAsync((TestPayload @event) => called = true);

        using var response = await worker.InvokeAsync(body);

        var error = await FcReply.AssertFunctionErrorAsync(response, "InvalidEventError");
        Assert.Contains(reason, error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.False(called);
    }

    [Fact]
    public async Task Invoke_HandlerWithoutEvent_IgnoresBody()
    {
        await using var worker = await TestWorker.StartAsync(() => "ignored");

        using var response = await worker.InvokeAsync("{not json");

        Assert.Equal("ignored", await FcReply.AssertSuccessAsync(response));
    }

    [Fact]
    public async Task Invoke_LargeChunkedEvent_ReceivesEveryByte()
    {
        var payload = new byte[300_000];
        Random.Shared.NextBytes(payload);
        await using var worker = await TestWorker.StartAsync((byte[] @event) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(@event)));

        using var content = new StreamContent(new MemoryStream(payload));
        using var response = await worker.SendAsync(HttpMethod.Post, "/invoke", content, [("Transfer-Encoding", "chunked")]);

        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(payload)), await FcReply.AssertSuccessAsync(response));
    }

    [Fact]
    public async Task Invoke_SourceGeneratedOptions_BindUserAndHttpTriggerTypes()
    {
        var options = new FunctionWorkerOptions { SerializerOptions = TestJsonContext.Default.Options };
        await using var typed = await TestWorker.StartAsync((TestPayload @event) => @event.Name, options);
        await using var http = await TestWorker.StartAsync((HttpTriggerEvent @event) => @event.Body, new() { SerializerOptions = TestJsonContext.Default.Options });

        using var typedResponse = await typed.InvokeAsync("""{"name":"generated","count":1}""");
        using var httpResponse = await http.InvokeAsync("""{"body":"from trigger"}""");

        Assert.Equal("generated", await FcReply.AssertSuccessAsync(typedResponse));
        Assert.Equal("from trigger", await FcReply.AssertSuccessAsync(httpResponse));
    }

    [Fact]
    public void Create_EventTypeMissingFromSourceGeneratedContext_ThrowsArgumentException()
    {
        var options = new FunctionWorkerOptions { SerializerOptions = TestJsonContext.Default.Options };

        var exception = Assert.Throws<ArgumentException>(() =>
            FunctionWorker.Create(["--urls", "http://127.0.0.1:0"], (Uri @event) => "", options));

        Assert.Contains("has no usable JSON contract", exception.Message, StringComparison.Ordinal);
    }
}
