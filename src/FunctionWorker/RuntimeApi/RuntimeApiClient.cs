using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace FcWorker.RuntimeApi;

/// <summary>
/// The HTTP side of FC's runtime API under the base read from <c>FC_RUNTIME_API</c>: <c>GET next</c>, a long poll
/// without any client timeout, and the posts of a call's outcome to <c>{id}/response</c> or <c>{id}/error</c>. Over
/// HTTP/1.1 each poll loop has a connection of its own (<see cref="RuntimeApiConnection"/>); over cleartext HTTP/2 with
/// prior knowledge, when the gateway says its runtime API speaks it (<c>FCGATEWAY_RUNTIME_API_PROTOCOL=h2c</c>), the
/// polls and replies of every loop share one connection of HttpClient's handler.
/// </summary>
internal sealed class RuntimeApiClient(Uri invocationBase, bool overHttp2 = false) : IDisposable
{
    public const string Response = "response";
    public const string Error = "error";

    // The runtime API is the platform's own local endpoint: no proxy, no cookies, no redirects to follow (each of which
    // HttpClientHandler would set up or check on every call). Its calls are the platform's plumbing, not calls the
    // function makes: without a propagator, the handler leaves its diagnostics layer out, so they start no span and carry
    // no traceparent, even when something listens to System.Net.Http. The handler is called without HttpClient around
    // it: a long poll waits for as long as no invocation comes (only the worker's stop ends it), so HttpClient's timeout
    // and its linked cancellation source per call would be work for nothing.
    private readonly HttpMessageInvoker? _http2 = overHttp2 ? new(new SocketsHttpHandler
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        ActivityHeadersPropagator = null,

        // Each loop's poll holds a stream for as long as it waits: past the server's limit of streams per connection
        // (Kestrel's default is 100), another connection is opened rather than a reply queued behind polls.
        EnableMultipleHttp2Connections = true,
    }) : null;

    public Uri Address { get; } = invocationBase;

    /// <summary>A line for one poll loop.</summary>
    public IRuntimeApiLine OpenLine() => _http2 is null ? new RuntimeApiConnection(Address) : new Http2Line(_http2, Address);

    public void Dispose() => _http2?.Dispose();

    /// <summary>A loop's calls over the shared HTTP/2 handler; the answer's body is streamed, not read into a buffer.</summary>
    private sealed class Http2Line(HttpMessageInvoker http, Uri address) : IRuntimeApiLine
    {
        private readonly Uri _next = new(address, "next");

        public async Task<RuntimeApiAnswer> NextAsync(CancellationToken cancellationToken)
        {
            var answer = await http.SendAsync(Request(HttpMethod.Get, _next), cancellationToken).ConfigureAwait(false);

            // As received, without parsing: the pipeline reads a few FC headers, and one value is kept as a string, not an array.
            var received = answer.Headers.NonValidated;
            var headers = new HeaderDictionary(received.Count);
            foreach (var (name, values) in received)
            {
                headers[name] = values.Count == 1 ? new StringValues(values.ToString()) : new StringValues(values.ToArray());
            }

            // The handler's content has its stream at hand: asking for it synchronously costs no task.
            return new RuntimeApiAnswer((int)answer.StatusCode, headers, answer.Content.Headers.ContentLength, answer.Content.ReadAsStream(CancellationToken.None), answer);
        }

        public async Task<int> PostAsync(string requestId, string outcome, ReplyBody body, bool thenPoll, CancellationToken cancellationToken)
        {
            using var content = body.Stream is { } stream ? new StreamContent(stream)
                : body.Output is { IsRented: true } ? new RentedBytesContent(body.Bytes)
                : (HttpContent)new ReadOnlyMemoryContent(body.Bytes);
            if (body.ContentType is { } contentType)
            {
                // One of the SDK's own content types, so there is nothing to parse or check.
                content.Headers.TryAddWithoutValidation(HeaderNames.ContentType, contentType);
            }

            var uri = new Uri(address, $"{Uri.EscapeDataString(requestId)}/{outcome}");
            try
            {
                using var answer = await http.SendAsync(Request(HttpMethod.Post, uri, content), cancellationToken).ConfigureAwait(false);
                return (int)answer.StatusCode;
            }
            finally
            {
                // An answer can come before the whole body was sent (a reply refused unread): HTTP/2 may then still be
                // sending it from the output's array, which must not go back to the pool for another call to fill.
                if (content is RentedBytesContent { SentWhole: false })
                {
                    body.Output!.LeaveToCollector();
                }
            }
        }

        /// <summary>None to give up: a post here never sends the poll along.</summary>
        public Task<RuntimeApiAnswer?> GiveUpPollAsync() => Task.FromResult<RuntimeApiAnswer?>(null);

        public void Dispose()
        {
        }

        private static HttpRequestMessage Request(HttpMethod method, Uri uri, HttpContent? content = null) =>
            new(method, uri) { Content = content, Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
    }
}
