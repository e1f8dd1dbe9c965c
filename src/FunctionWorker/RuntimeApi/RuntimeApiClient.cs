using System.Net;

namespace FcWorker.RuntimeApi;

/// <summary>
/// The HTTP side of FC's runtime API: <c>GET next</c>, a long poll without any client timeout, and the posts of a
/// call's outcome to <c>{id}/response</c> or <c>{id}/error</c>, all under the base read from <c>FC_RUNTIME_API</c>; over
/// HTTP/1.1, or over cleartext HTTP/2 with prior knowledge when the gateway says its runtime API speaks it
/// (<c>FCGATEWAY_RUNTIME_API_PROTOCOL=h2c</c>): the polls and replies of every loop then share one connection, and a
/// frame carries what took a system call of its own (measured in the README's performance section).
/// </summary>
internal sealed class RuntimeApiClient(Uri invocationBase, bool overHttp2 = false) : IDisposable
{
    public const string Response = "response";
    public const string Error = "error";

    private readonly Uri _next = new(invocationBase, "next");

    // The runtime API is the platform's own local endpoint: no proxy, no cookies, no redirects to follow (each of which
    // HttpClientHandler would set up or check on every call). Its calls are the platform's plumbing, not calls the
    // function makes: without a propagator, the handler leaves its diagnostics layer out, so they start no span and carry
    // no traceparent, even when something listens to System.Net.Http. The handler is called without HttpClient around
    // it: a long poll waits for as long as no invocation comes (only the worker's stop ends it), so HttpClient's timeout
    // and its linked cancellation source per call would be work for nothing; the handler returns once the headers are
    // read and leaves the body to be streamed, which is what every call here wants.
    private readonly HttpMessageInvoker _http = new(new SocketsHttpHandler
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        ActivityHeadersPropagator = null,

        // Each loop's poll holds a stream for as long as it waits: past the server's limit of streams per connection
        // (Kestrel's default is 100), another connection is opened rather than a reply queued behind polls.
        EnableMultipleHttp2Connections = true,
    });

    private readonly Version _version = overHttp2 ? HttpVersion.Version20 : HttpVersion.Version11;

    private readonly HttpVersionPolicy _versionPolicy = overHttp2 ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrLower;

    public Uri Address { get; } = invocationBase;

    /// <summary>Asks for the next invocation; the answer's body is left unread, to be streamed into the handler's event.</summary>
    public Task<HttpResponseMessage> GetNextAsync(CancellationToken cancellationToken) =>
        _http.SendAsync(Request(HttpMethod.Get, _next), cancellationToken);

    /// <summary>
    /// Posts a call's outcome, <see cref="Response"/> or <see cref="Error"/>, to the path of its request id. Only the
    /// answer's status matters, so its body is not read into a buffer.
    /// </summary>
    public Task<HttpResponseMessage> PostAsync(string requestId, string outcome, HttpContent content, CancellationToken cancellationToken) =>
        _http.SendAsync(Request(HttpMethod.Post, new Uri(Address, $"{Uri.EscapeDataString(requestId)}/{outcome}"), content), cancellationToken);

    public void Dispose() => _http.Dispose();

    private HttpRequestMessage Request(HttpMethod method, Uri uri, HttpContent? content = null) =>
        new(method, uri) { Content = content, Version = _version, VersionPolicy = _versionPolicy };
}
