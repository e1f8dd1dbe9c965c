using FcGateway.Buffers;
using FcGateway.Dispatch.Push;

namespace Gateway.Tests.Dispatch;

public sealed class WorkerReplyRoomTests
{
    [Theory]
    [InlineData(88_000L, 0, 88_001)]
    [InlineData(88_000L, 88_000, 1)]
    [InlineData(100L, 101, 1)]
    [InlineData(30_000_000L, 0, PooledBuffer.MaxReservedAhead)]
    [InlineData(30_000_000L, 200_000, 200_000)]
    public void RoomFor_ADeclaredLength_IsTheRestOfIt_NeverMoreThanHasArrivedOrTheCap(long declared, int written, int expected) =>
        Assert.Equal(expected, WorkerReply.RoomFor(declared, written));
}
