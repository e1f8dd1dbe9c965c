using FcGateway.Buffers;

namespace FcGateway.Edge.WebTriggers;

/// <summary>
/// A web invocation's request body as YARP's forwarder reads it from the client, remembering whether a read was cancelled
/// while it waited for the client's bytes. YARP copies the body a read, then a write, at a time: when the invocation's
/// deadline cancels a read, the client was still sending its body, and a slow upload, not the function, ran out the time
/// (or, at that very instant, its last bytes were on their way: a race a deadline of seconds makes rare). It also counts
/// the bytes read, which a client that left in the middle of its body sent fewer of than it declared.
/// </summary>
/// <param name="inner">The body Kestrel reads from the client; not owned.</param>
internal sealed class WatchedRequestBody(Stream inner) : ReadThroughStream(inner)
{
    /// <summary>A read from the client was cancelled before the client's bytes came.</summary>
    public bool ReadCancelled { get; private set; }

    /// <summary>The body's bytes read from the client so far.</summary>
    public long BytesRead { get; private set; }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = Inner.ReadAsync(buffer, cancellationToken);
        return read.IsCompletedSuccessfully ? new(Observe(buffer.Span, read.Result)) : AwaitReadAsync(buffer, read);
    }

    private async ValueTask<int> AwaitReadAsync(Memory<byte> buffer, ValueTask<int> read)
    {
        try
        {
            var count = await read;
            return Observe(buffer.Span, count);
        }
        catch (OperationCanceledException)
        {
            ReadCancelled = true;
            throw;
        }
    }

    protected override int Observe(ReadOnlySpan<byte> buffer, int read)
    {
        BytesRead += read;
        return read;
    }
}
