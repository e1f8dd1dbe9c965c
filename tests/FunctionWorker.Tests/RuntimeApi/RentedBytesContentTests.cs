using FcWorker.RuntimeApi;

namespace FcWorker.Tests.RuntimeApi;

/// <summary>
/// <see cref="RentedBytesContent.SentWhole"/> over more than one send of the body, as the HTTP/2 handler makes when it
/// retries a request on another connection (a stream refused, or past the last one a GOAWAY kept): the array is read
/// no more only once every send has ended, not when the first one took every byte.
/// </summary>
public sealed class RentedBytesContentTests
{
    [Fact]
    public async Task SentWhole_WhileASecondSendIsUnderWay_IsFalse_AndTrueOnceItEnds()
    {
        using var content = new RentedBytesContent(new byte[100]);
        await content.CopyToAsync(Stream.Null);
        Assert.True(content.SentWhole);
        var held = new HeldWriteStream();

        var second = content.CopyToAsync(held);

        Assert.False(content.SentWhole);
        held.Release();
        await second;
        Assert.True(content.SentWhole);
    }

    [Fact]
    public async Task SentWhole_SendThatFailed_IsFalse()
    {
        using var content = new RentedBytesContent(new byte[100]);
        var held = new HeldWriteStream();

        var send = content.CopyToAsync(held);
        held.Fail();

        await Assert.ThrowsAsync<HttpRequestException>(() => send);
        Assert.False(content.SentWhole);
    }

    /// <summary>A stream whose write ends when the test says so.</summary>
    private sealed class HeldWriteStream : Stream
    {
        private readonly TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Release() => _written.SetResult();

        public void Fail() => _written.SetException(new IOException("the connection ended"));

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => new(_written.Task);

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
