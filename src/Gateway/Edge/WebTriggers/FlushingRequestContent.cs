using System.Net;

namespace FcGateway.Edge.WebTriggers;

/// <summary>
/// A web function's request body as YARP forwards it, flushed to the worker after every write. HttpClient keeps an
/// HTTP/1.1 request body's small writes in its connection buffer until the buffer fills or the body ends, and YARP
/// flushes each write only for gRPC, so the first kilobytes of a streamed upload (a chunk, then a wait for the answer to
/// it) would reach the worker only with the rest of the body. Wraps YARP's own content, which keeps tracking the copy.
/// </summary>
internal sealed class FlushingRequestContent : HttpContent
{
    private readonly HttpContent _inner;

    public FlushingRequestContent(HttpContent inner)
    {
        _inner = inner;
        foreach (var header in inner.Headers.NonValidated)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    // The token is passed on as it came: YARP tells HTTP/1.1 from HTTP/2 by it.
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        _inner.CopyToAsync(new FlushingWriteStream(stream), context, cancellationToken);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
