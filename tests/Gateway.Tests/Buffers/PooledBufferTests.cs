using FcGateway.Buffers;

namespace Gateway.Tests.Buffers;

public sealed class PooledBufferTests
{
    [Fact]
    public void GrowingPastTheMappedThreshold_KeepsEveryByte_AndMapsWhereSupported()
    {
        using var buffer = new PooledBuffer();
        var expected = Enumerable.Range(0, PooledBuffer.MappedThreshold + 12_345).Select(i => (byte)(i * 31)).ToArray();

        for (var offset = 0; offset < expected.Length; offset += 10_000)
        {
            buffer.Write(expected.AsSpan(offset, Math.Min(10_000, expected.Length - offset)));
        }

        Assert.Equal(expected, buffer.WrittenSpan.ToArray());
        Assert.Equal(MappedMemory.IsSupported, buffer.IsMapped);
    }

    [Fact]
    public void ReserveFor_MakesRoomInOneStep_SoWritingThatMuchKeepsTheSameStorage()
    {
        using var buffer = new PooledBuffer();
        buffer.Write("head"u8);

        buffer.ReserveFor(100_000);
        var reserved = buffer.GetMemory();
        for (var written = 0; written < 100_000; written += 7_000)
        {
            buffer.Write(new byte[Math.Min(7_000, 100_000 - written)]);
        }

        Assert.True(reserved.Length >= 100_000);
        Assert.Equal(100_004, buffer.WrittenCount);
        Assert.True(buffer.WrittenSpan[4..].Overlaps(reserved.Span), "the buffer moved while the reserved bytes were written");
        Assert.Equal("head"u8.ToArray(), buffer.WrittenSpan[..4].ToArray());
    }

    [Fact]
    public void ReserveFor_AHugeDeclaredLength_TakesNoMoreThanTheCapAheadOfTheBytes()
    {
        using var buffer = new PooledBuffer();

        buffer.ReserveFor(30L * 1024 * 1024);

        Assert.False(buffer.IsMapped);
        Assert.InRange(buffer.GetMemory().Length, PooledBuffer.MaxReservedAhead, 2 * PooledBuffer.MaxReservedAhead - 1);
    }

    [Fact]
    public void SmallCapacity_IsPooled()
    {
        using var buffer = new PooledBuffer(PooledBuffer.MappedThreshold - 1);

        Assert.False(buffer.IsMapped);
    }

    [Fact]
    public void MappedBuffer_IsWritableInPlace_AndReadableAfterwards()
    {
        using var buffer = new PooledBuffer(PooledBuffer.MappedThreshold);
        var text = "aGVsbG8gbWFwcGVk"u8;
        text.CopyTo(buffer.GetSpan(text.Length));
        buffer.Advance(text.Length);

        var decoded = Convert.FromBase64String(System.Text.Encoding.ASCII.GetString(buffer.WrittenSpan));
        buffer.WrittenWritableMemory.Span[0] = (byte)'b';

        Assert.Equal("hello mapped", System.Text.Encoding.ASCII.GetString(decoded));
        Assert.Equal((byte)'b', buffer.WrittenSpan[0]);
    }

    [Fact]
    public void AfterDispose_UseThrows_AndDisposingAgainIsHarmless()
    {
        var buffer = new PooledBuffer(PooledBuffer.MappedThreshold);
        buffer.Write([1, 2, 3]);

        buffer.Dispose();
        buffer.Dispose();

        Assert.Equal(0, buffer.WrittenCount);
        Assert.Throws<ObjectDisposedException>(() => buffer.GetSpan(1));
    }

    [Fact]
    public void AdvancingPastTheEnd_Throws()
    {
        using var buffer = new PooledBuffer(256);
        var free = buffer.GetSpan().Length;

        Assert.Throws<InvalidOperationException>(() => buffer.Advance(free + 1));
    }
}
