using System.Net;

namespace FcWorker.RuntimeApi;

/// <summary>
/// A reply's body that says when it has been written to the socket: from then on, a reply of declared length that waits
/// for the next invocation (<see cref="FcShared.RuntimeApiThenNext"/>) can be abandoned without losing the reply (a
/// chunked one would still have its last chunk to write).
/// </summary>
internal sealed class SentSignalContent : HttpContent
{
    private readonly HttpContent _body;
    private readonly TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SentSignalContent(HttpContent body, string? contentType)
    {
        _body = body;
        if (contentType is not null)
        {
            // One of the SDK's own content types (ContentTypes), so there is nothing to parse or check.
            Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
    }

    /// <summary>Completes once the whole body was written.</summary>
    public Task Sent => _sent.Task;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await _body.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);

        // Out of the connection's buffer: with a declared length, nothing else of the request is left to write.
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        _sent.TrySetResult();
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _body.Headers.ContentLength ?? -1;
        return length >= 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body.Dispose();
        }

        base.Dispose(disposing);
    }
}
