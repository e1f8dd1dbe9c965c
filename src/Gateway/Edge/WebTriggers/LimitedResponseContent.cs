using System.Net;
using FcGateway.Buffers;

namespace FcGateway.Edge.WebTriggers;

/// <summary>
/// A web function's response content whose stream fails with <see cref="BadWebResponseException"/> on the
/// read that passes the limit, so no byte past it reaches the client.
/// </summary>
internal sealed class LimitedResponseContent(HttpContent inner, long maxBytes) : HttpContent
{
    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        new LimitedReadStream(await inner.ReadAsStreamAsync(cancellationToken), maxBytes, static limit => BadWebResponseException.BodyTooLarge(limit));

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var source = await CreateContentReadStreamAsync(cancellationToken);
        await source.CopyToAsync(stream, cancellationToken);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
