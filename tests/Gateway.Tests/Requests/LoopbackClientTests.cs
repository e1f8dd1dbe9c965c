using System.Net;
using FcGateway.Edge.Requests;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Requests;

public sealed class LoopbackClientTests
{
    [Theory]
    [InlineData("127.0.0.1", null, null, true)]
    [InlineData("::ffff:127.0.0.1", null, null, true)]
    [InlineData("203.0.113.5", null, null, false)]
    [InlineData("127.0.0.1", "127.0.0.1", null, true)]
    [InlineData("127.0.0.1", "::1, 127.0.0.2", null, true)]
    [InlineData("127.0.0.1", "[::1]:4711, 127.0.0.1:80", null, true)]
    [InlineData("127.0.0.1", "127.0.0.1,, ", null, true)]
    [InlineData("127.0.0.1", "8.8.8.8", null, false)]
    [InlineData("127.0.0.1", "127.0.0.1, 8.8.8.8", null, false)]
    [InlineData("127.0.0.1", "8.8.8.8, 127.0.0.1", null, false)]
    [InlineData("127.0.0.1", "unknown", null, false)]
    [InlineData("127.0.0.1", null, "8.8.8.8", false)]
    [InlineData("127.0.0.1", "127.0.0.1", "127.0.0.1", true)]
    [InlineData("203.0.113.5", "127.0.0.1", "127.0.0.1", false)]
    public void IsLoopback_NeedsTheClientEveryProxyForwardedFor_ToBeLoopbackToo(string peer, string? forwardedFor, string? realIp, bool loopback)
    {
        var context = new DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Parse(peer) } };
        context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        context.Request.Headers["X-Real-IP"] = realIp;

        Assert.Equal(loopback, LoopbackClient.IsLoopback(context));
    }

    [Theory]
    [InlineData("X-Client-IP", "127.0.0.1", true)]
    [InlineData("X-Client-IP", "8.8.8.8", false)]
    [InlineData("Forwarded", "for=127.0.0.1", true)]
    [InlineData("Forwarded", "for=\"[::1]:4711\";proto=https, For=127.0.0.2", true)]
    [InlineData("Forwarded", "by=8.8.8.8;host=example.com", true)]
    [InlineData("Forwarded", "for=8.8.8.8", false)]
    [InlineData("Forwarded", "for=127.0.0.1, for=8.8.8.8;proto=https", false)]
    [InlineData("Forwarded", "proto=https;FOR=\"[2001:db8:cafe::17]:4711\"", false)]
    [InlineData("Forwarded", "for=unknown", false)]
    [InlineData("Forwarded", "for=_hidden", false)]
    public void IsLoopback_ReadsTheOtherHeadersAProxySpeaksForItsClientIn(string header, string value, bool loopback)
    {
        var context = new DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Loopback } };
        context.Request.Headers[header] = value;

        Assert.Equal(loopback, LoopbackClient.IsLoopback(context));
    }

    [Fact]
    public void IsLoopback_ReadsEveryXForwardedForLine()
    {
        var context = new DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Loopback } };
        context.Request.Headers["X-Forwarded-For"] = new([" 127.0.0.1", "8.8.8.8"]);

        Assert.False(LoopbackClient.IsLoopback(context));
    }
}
