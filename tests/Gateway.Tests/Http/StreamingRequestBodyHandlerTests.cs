using System.Net;
using System.Reflection;
using FcGateway.Dispatch.Push;
using FcGateway.Edge.WebTriggers;

namespace Gateway.Tests.Http;

/// <summary>
/// The handler in front of every cluster's HttpClient wraps a web route's marked request body so each write is flushed,
/// and leaves an event-mode invocation (the gateway's own <see cref="WorkerPayload"/>) as it is, without making its
/// request's Options.
/// </summary>
public sealed class StreamingRequestBodyHandlerTests
{
    private static readonly FieldInfo OptionsField =
        typeof(HttpRequestMessage).GetField("_options", BindingFlags.NonPublic | BindingFlags.Instance)!;

    [Fact]
    public async Task EventInvocation_PassesUnchanged_WithoutMakingItsOptions()
    {
        var inner = new RecordingHandler();
        using var invoker = new HttpMessageInvoker(new StreamingRequestBodyHandler(inner));
        using var payload = new BufferPayload("{}"u8.ToArray());
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:9/invoke") { Content = payload };

        using var _ = await invoker.SendAsync(request, CancellationToken.None);

        Assert.Same(payload, inner.Content);
        Assert.NotNull(OptionsField);
        Assert.Null(OptionsField.GetValue(request));
    }

    [Fact]
    public async Task MarkedRequest_HasItsBodyFlushedEachWrite()
    {
        var inner = new RecordingHandler();
        using var invoker = new HttpMessageInvoker(new StreamingRequestBodyHandler(inner));
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:9/") { Content = new ByteArrayContent([1, 2, 3]) };
        request.Options.Set(StreamingRequestBodyHandler.FlushEachWrite, true);

        using var _ = await invoker.SendAsync(request, CancellationToken.None);

        Assert.IsType<FlushingRequestContent>(inner.Content);
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public HttpContent? Content { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Content = request.Content;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}
