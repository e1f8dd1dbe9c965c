using FcGateway.Dispatch.Push;

namespace FcGateway.Edge.WebTriggers;

/// <summary>
/// The first handler of every cluster's HttpClient: a request a web trigger marked with <see cref="FlushEachWrite"/> has
/// its body wrapped in a <see cref="FlushingRequestContent"/>, so the worker gets each part as the client sends it.
/// Event-mode invocations, which write their event in large steps of their own, pass unchanged.
/// </summary>
internal sealed class StreamingRequestBodyHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public static readonly HttpRequestOptionsKey<bool> FlushEachWrite = new("FcGateway.FlushEachWrite");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // An event-mode invocation's content is the gateway's own, never marked: its request's Options, made on first
        // reading (an HttpRequestOptions and its dictionary), are not made for it.
        if (request.Content is { } content and not WorkerPayload
            && request.Options.TryGetValue(FlushEachWrite, out var flush) && flush)
        {
            request.Content = new FlushingRequestContent(content);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
