using System.Text;
using FcWorker.HttpTrigger;
using FcWorker.Tests.Binding;
using FcWorker.Tests.TestHelpers;

namespace FcWorker.Tests.Responses;

public sealed class OutputWritingTests
{
    [Fact]
    public async Task Invoke_StringOutput_WritesUtf8WithContentLength()
    {
        await using var worker = await TestWorker.StartAsync(() => "hello, 世界");

        using var response = await worker.InvokeAsync("");

        Assert.Equal("hello, 世界", await FcReply.AssertSuccessAsync(response));
        Assert.Equal(Encoding.UTF8.GetByteCount("hello, 世界"), response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Invoke_ByteArrayOutput_WritesRawBytes()
    {
        await using var worker = await TestWorker.StartAsync(() => new byte[] { 0, 255, 1 });

        using var response = await worker.InvokeAsync("");

        Assert.Equal([0, 255, 1], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(3, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Invoke_ReadOnlyMemoryOutput_WritesRawBytes()
    {
        await using var worker = await TestWorker.StartAsync(() => new ReadOnlyMemory<byte>([9, 8, 7, 6], 1, 2));

        using var response = await worker.InvokeAsync("");

        Assert.Equal([8, 7], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Invoke_StreamOutput_WritesRawBytesAndDisposesStream()
    {
        var stream = new TrackingStream("from a stream"u8.ToArray());
        await using var worker = await TestWorker.StartAsync(() => Task.FromResult<Stream>(stream));

        using var response = await worker.InvokeAsync("");

        Assert.Equal("from a stream", await FcReply.AssertSuccessAsync(response));
        Assert.Equal(13, response.Content.Headers.ContentLength);
        await stream.Disposed.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Invoke_ObjectOutput_WritesCamelCaseJson()
    {
        await using var worker = await TestWorker.StartAsync(() => new TestPayload("世界", 2));

        using var response = await worker.InvokeAsync("");

        Assert.Equal("""{"name":"世界","count":2}""", await FcReply.AssertSuccessAsync(response));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Invoke_HttpTriggerResponseOutput_OmitsEmptyOptionalFields()
    {
        await using var worker = await TestWorker.StartAsync(() => new HttpTriggerResponse(201).WithBody("created"));

        using var response = await worker.InvokeAsync("");

        Assert.Equal("""{"statusCode":201,"body":"created"}""", await FcReply.AssertSuccessAsync(response));
    }

    [Fact]
    public async Task Invoke_NullOutput_WritesEmptyBody()
    {
        await using var worker = await TestWorker.StartAsync(() => (string?)null);

        using var response = await worker.InvokeAsync("");

        Assert.Equal("", await FcReply.AssertSuccessAsync(response));
        Assert.Equal(0, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Invoke_OutputThatCannotBeSerialized_ReturnsFunctionError()
    {
        await using var worker = await TestWorker.StartAsync(() =>
        {
            var node = new Dictionary<string, object>();
            node["self"] = node;
            return (object)node;
        });

        using var response = await worker.InvokeAsync("");

        await FcReply.AssertFunctionErrorAsync(response, "JsonException");
    }

    /// <summary>A stream that reports its disposal, which the worker may do just after the reply is complete.</summary>
    private sealed class TrackingStream(byte[] bytes) : MemoryStream(bytes)
    {
        private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Disposed => _disposed.Task;

        protected override void Dispose(bool disposing)
        {
            _disposed.TrySetResult();
            base.Dispose(disposing);
        }
    }
}
