using System.Text;
using FcGateway.Dispatch.Push.Http1;

namespace Gateway.Tests.Invocation;

/// <summary>A chunked body held whole in the bytes received, as a 429's is passed over without waiting for more.</summary>
public sealed class ChunkedFramingTests
{
    [Theory]
    [InlineData("0\r\n\r\n", true)]
    [InlineData("4\r\nbusy\r\n0\r\n\r\n", true)]
    [InlineData("4;a=b\nbusy\n0\nX-A: 1\n folded\nX-B: 2\n\n", true)]
    [InlineData("4 \r\nbusy\r\n0\r\n\r\n", true)]
    [InlineData("", false)]
    [InlineData("4\r\nbusy\r\n", false)]
    [InlineData("4\r\nbu", false)]
    [InlineData("0\r\n\r\nX", false)]
    [InlineData(" 4\r\nbusy\r\n0\r\n\r\n", false)]
    [InlineData("4\r\nbusy0\r\n\r\n", false)]
    [InlineData("FFFFFFFFFFFFFFFF\r\nbusy\r\n0\r\n\r\n", false)]
    [InlineData("10000000000000000\r\nbusy\r\n0\r\n\r\n", false)]
    [InlineData("0\r\n X: 1\r\n\r\n", false)]
    [InlineData("0\r\nX Y: 1\r\n\r\n", false)]
    public void IsWholeBody_TakesOnlyAWholeWellFramedBody(string body, bool whole) =>
        Assert.Equal(whole, ChunkedFraming.IsWholeBody(Encoding.Latin1.GetBytes(body), WorkerConnection.MaxHeadBytes));

    [Theory]
    [InlineData(15, true)]
    [InlineData(14, false)]
    public void IsWholeBody_HoldsTrailersToWhatTheHeadLeft(int allowedTrailerBytes, bool whole) =>
        Assert.Equal(whole, ChunkedFraming.IsWholeBody("0\r\nX-Why: full\r\n\r\n"u8, allowedTrailerBytes));

    [Fact]
    public void IsWholeBody_HoldsAChunkLineToItsLimit()
    {
        var extension = new string('x', WorkerConnection.MaxChunkLineBytes - 4);
        Assert.True(ChunkedFraming.IsWholeBody(Encoding.Latin1.GetBytes($"0;{extension}\r\n\r\n"), WorkerConnection.MaxHeadBytes));
        Assert.False(ChunkedFraming.IsWholeBody(Encoding.Latin1.GetBytes($"0;{extension}x\r\n\r\n"), WorkerConnection.MaxHeadBytes));
    }
}
