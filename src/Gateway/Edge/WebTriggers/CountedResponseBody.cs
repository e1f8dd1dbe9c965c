using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace FcGateway.Edge.WebTriggers;

/// <summary>
/// The client's response body while YARP forwards a web function's response, counting the bytes written to it: the
/// bytes sent, which a declared Content-Length overstates when the worker breaks off and a streamed body does not give.
/// One is kept in the connection's persistent state (an HTTP/1.1 connection, a pooled HTTP/2 stream) and reused by
/// each request on it, so counting costs no allocation per request.
/// </summary>
internal sealed class CountedResponseBody : Stream, IHttpResponseBodyFeature
{
    private static readonly object StateKey = new();

    private IHttpResponseBodyFeature _inner = null!;

    /// <summary>The bytes written since <see cref="Install"/>.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Puts a counter in front of the response body of <paramref name="context"/>; <see cref="Uninstall"/> takes it away.</summary>
    public static CountedResponseBody Install(HttpContext context)
    {
        var state = context.Features.Get<IPersistentStateFeature>()?.State;
        CountedResponseBody counter;
        if (state?.TryGetValue(StateKey, out var kept) == true)
        {
            counter = (CountedResponseBody)kept!;
        }
        else
        {
            counter = new CountedResponseBody();
            state?.Add(StateKey, counter);
        }

        counter._inner = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        counter.BytesWritten = 0;
        context.Features.Set<IHttpResponseBodyFeature>(counter);
        return counter;
    }

    public void Uninstall(HttpContext context) => context.Features.Set(_inner);

    Stream IHttpResponseBodyFeature.Stream => this;

    // YARP writes the body through the stream; the writer is passed through for anything else.
    PipeWriter IHttpResponseBodyFeature.Writer => _inner.Writer;

    public void DisableBuffering() => _inner.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) => _inner.StartAsync(cancellationToken);

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        _inner.SendFileAsync(path, offset, count, cancellationToken);

    public Task CompleteAsync() => _inner.CompleteAsync();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        BytesWritten += count;
        _inner.Stream.Write(buffer, offset, count);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        BytesWritten += buffer.Length;
        return _inner.Stream.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => _inner.Stream.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.Stream.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
