namespace FcGateway.Edge.Responses;

/// <summary>
/// Sends a response body the gateway holds whole (a function's output) in slices, each flushed before the next: the
/// server's flush waits while its buffer is full, so a client that stops reading holds the sending at the slice it
/// reached, and a client that goes away ends it there — and the bytes taken so far are known. One write of the whole
/// body would be copied into the server's buffer at once and reported sent even to a client that left after a kilobyte.
/// </summary>
internal static class ResponseBodySender
{
    /// <summary>Kestrel's response buffer (<c>MaxResponseBufferSize</c>) by default: a slice is taken as the last one drains.</summary>
    private const int SliceBytes = 64 * 1024;

    /// <returns>
    /// The bytes the server took — when the client went away, up to and including the slice it was sending then (part of
    /// which may not have left) — and whether the client went away.
    /// </returns>
    public static async ValueTask<SentBody> SendAsync(HttpContext context, ReadOnlyMemory<byte> body)
    {
        var writer = context.Response.BodyWriter;
        var sent = 0;
        try
        {
            while (sent < body.Length)
            {
                var slice = body.Slice(sent, Math.Min(SliceBytes, body.Length - sent));
                sent += slice.Length;
                var flushed = await writer.WriteAsync(slice, context.RequestAborted);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    return new SentBody(sent, ClientGone: true);
                }
            }
        }
        catch (OperationCanceledException)
        {
            return new SentBody(sent, ClientGone: true);
        }

        return new SentBody(sent, context.RequestAborted.IsCancellationRequested);
    }
}
