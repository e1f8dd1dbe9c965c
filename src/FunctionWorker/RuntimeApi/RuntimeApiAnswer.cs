using Microsoft.AspNetCore.Http;

namespace FcWorker.RuntimeApi;

/// <summary>
/// What the runtime API answered a poll: its status, its headers as received, and its body, left unread to be streamed
/// into the handler's event. Disposing it releases the body and <paramref name="owner"/>, what holds it (HttpClient's
/// response over HTTP/2; over HTTP/1.1 the connection reads what is left of the body before it carries the reply).
/// </summary>
internal sealed class RuntimeApiAnswer(int statusCode, IHeaderDictionary headers, long? contentLength, Stream body, IDisposable? owner = null) : IDisposable
{
    public int StatusCode { get; } = statusCode;

    public IHeaderDictionary Headers { get; } = headers;

    public long? ContentLength { get; } = contentLength;

    public Stream Body { get; } = body;

    public void Dispose()
    {
        Body.Dispose();
        owner?.Dispose();
    }
}
