using FcGateway.Http;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Gateway.Tests.Http;

public sealed class InlineSocketCompletionsTests
{
    [Theory]
    [InlineData("1", true)]
    [InlineData("true", false)]
    [InlineData("0", false)]
    [InlineData(null, false)]
    public void FollowInKestrel_RunsRequestsInlineOnlyWhereTheRuntimeCompletesInline(string? value, bool inline)
    {
        var options = new SocketTransportOptions();

        InlineSocketCompletions.FollowInKestrel(options, value);

        Assert.Equal(inline, options.UnsafePreferInlineScheduling);
    }

    [Theory]
    [InlineData(InlineSocketCompletions.LargeWorkBytes, true)]
    [InlineData(InlineSocketCompletions.LargeWorkBytes - 1, false)]
    public void MustLeaveForWorkOn_ThreadThatIsNotThePools_LeavesForLargeWorkOnly(int bytes, bool leaves)
    {
        bool? answer = null;
        var thread = new Thread(() => answer = InlineSocketCompletions.MustLeaveForWorkOn(bytes));

        thread.Start();
        thread.Join();

        Assert.Equal(leaves, answer);
    }

    [Fact]
    public async Task MustLeaveForWorkOn_ThreadPoolThread_StaysWhateverTheSize()
    {
        var answer = await Task.Run(() => InlineSocketCompletions.MustLeaveForWorkOn(32 * 1024 * 1024));

        Assert.False(answer);
    }
}
