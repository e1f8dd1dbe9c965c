using Microsoft.AspNetCore.Http.Features;

namespace FcGateway.Edge.Requests;

/// <summary>
/// The rest of an HTTP/2 or HTTP/3 request's body, after the gateway answered without reading it (a refusal, a 404, a
/// body declared over the limit): the answer is completed, then the rest is read and dropped, within twice the body
/// limit (a body declared longer is not read at all) and <see cref="TimeLimit"/>, so that the stream ends as the client
/// closes its side. Left unread, the stream is reset (<c>NO_ERROR</c>) as the request ends, which RFC 9113 §8.1 allows
/// but some clients take for a failed transfer and show no answer at all: curl 7.88 ("HTTP/2 stream 1 was not closed
/// cleanly", exit 92). Past either bound, or once a body read failed, the stream is reset as before, and as the gateway
/// stops, which does not wait for such a body. HTTP/1.1 needs none of this: a body over the limit
/// closes the connection after the answer, and Kestrel reads the rest of a smaller one itself.
/// </summary>
internal static class UnreadBodyAfterAnswer
{
    /// <summary>How long the rest of a body may take to arrive once the answer is sent.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(10);

    private const int ChunkBytes = 16 * 1024;

    /// <summary>
    /// Completes the answer written and reads the rest of the request's body (HTTP/2 and HTTP/3 only) from
    /// <paramref name="clientsBody"/>, the server's own stream: not through the streams steps put in its place, which would
    /// judge it again (the limit, a signature's hash).
    /// </summary>
    public static async Task DrainAsync(HttpContext context, Stream clientsBody, long maxBodyBytes, TimeProvider time)
    {
        var request = context.Request;
        if ((!HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol))
            || context.Features.Get<IHttpRequestBodyDetectionFeature>() is not { CanHaveBody: true }
            || request.ContentLength > MaxBytes(maxBodyBytes)
            || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        // Reading past the limit, since this read drops what it reads; one that counted against it already keeps it.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = null;
        }

        using var bounded = new CancellationTokenSource(TimeLimit, time);
        await context.Response.CompleteAsync();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(bounded.Token, context.RequestAborted);
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            var left = MaxBytes(maxBodyBytes);
            int read;
            while (left >= 0 && (read = await clientsBody.ReadAsync(chunk, linked.Token)) > 0)
            {
                left -= read;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or BadHttpRequestException or InvalidOperationException)
        {
            // The bound ran out, the client went away, or the body had failed already: the stream is reset as the request ends.
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>The most of a body read after the answer, and the most of an HTTP/2 or HTTP/3 body Kestrel may take: twice the limit.</summary>
    public static long MaxBytes(long maxBodyBytes) => maxBodyBytes > long.MaxValue / 2 ? long.MaxValue : maxBodyBytes * 2;
}
