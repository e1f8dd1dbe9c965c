using System.Net;
using FcGateway.Configuration;
using FcGateway.Dialects;
using FcGateway.Edge.HttpTriggers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Tests.Events;

public sealed class EventRequestFactoryTests
{
    private static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeMilliseconds(1693896071895);

    [Theory]
    [InlineData("echo.cn-hangzhou.fcapp.run", "echo.cn-hangzhou.fcapp.run")]
    [InlineData("echo.cn-hangzhou.fcapp.run:8080", "echo.cn-hangzhou.fcapp.run")]
    [InlineData("localhost:5000", "localhost")]
    public void Create_Host_DomainNameIsHostWithoutPort(string host, string domainName)
    {
        var context = Context("10.0.0.1");
        context.Request.Host = HostString.FromUriComponent(host);

        var request = Create(context, new GatewaySettings());

        Assert.Equal(domainName, request.DomainName);
    }

    [Fact]
    public void Create_Request_CopiesRequestAndSettings()
    {
        var context = Context("10.0.0.1");
        context.Request.Method = "PUT";
        context.Request.Protocol = "HTTP/2";
        context.TraceIdentifier = "1-64f6cd87-e01edb1cce58240ed59b59d9";
        var query = new Dictionary<string, StringValues> { ["a"] = "1" };
        var body = new byte[] { 1, 2, 3 };

        var request = EventRequestFactory.Create(context, "/a%20b", "a=1".AsMemory(), query, body, new GatewaySettings { AccountId = "123" }, Time);

        Assert.Equal("PUT", request.Method);
        Assert.Equal("HTTP/2", request.Protocol);
        Assert.Equal("/a%20b", request.RawPath);
        Assert.Equal("a=1", request.RawQueryString.ToString());
        Assert.Same(query, request.Query);
        Assert.Equal(body, request.Body.ToArray());
        Assert.Equal("123", request.AccountId);
        Assert.Equal("1-64f6cd87-e01edb1cce58240ed59b59d9", request.RequestId);
        Assert.Equal(Time, request.Time);
        Assert.Equal(IPAddress.Parse("10.0.0.1"), request.SourceIp);
        Assert.Same(context.Request.Headers, request.Headers);
    }

    [Theory]
    [InlineData("", "40.1.2.3", null, "40.1.2.3")]
    [InlineData("", "40.1.2.3", "1.1.1.1", "1.1.1.1, 40.1.2.3")]
    [InlineData("", "::ffff:40.1.2.3", "1.1.1.1", "1.1.1.1, 40.1.2.3")]
    [InlineData("10.0.0.0/8", "10.1.2.3", "1.1.1.1", "1.1.1.1, 10.1.2.3")]
    [InlineData("10.0.0.0/8", "::ffff:10.1.2.3", "1.1.1.1", "1.1.1.1, 10.1.2.3")]
    [InlineData("10.0.0.0/8", "40.1.2.3", "1.1.1.1", "40.1.2.3")]
    [InlineData("10.0.0.0/8", "40.1.2.3", null, "40.1.2.3")]
    [InlineData("fd00::/8", "fd00::1", "1.1.1.1", "1.1.1.1, fd00::1")]
    [InlineData("", "40.1.2.3", " \t", "40.1.2.3")]
    [InlineData("", "40.1.2.3", "1.1.1.1,", "1.1.1.1, 40.1.2.3")]
    [InlineData("", "40.1.2.3", " 1.1.1.1 , ", "1.1.1.1, 40.1.2.3")]
    [InlineData("", "40.1.2.3", ", 1.1.1.1", "1.1.1.1, 40.1.2.3")]
    public void Create_Peer_ForwardedForFollowsTrustedProxies(string trusted, string peer, string? received, string forwardedFor)
    {
        var context = Context(peer);
        if (received is not null)
        {
            context.Request.Headers["X-Forwarded-For"] = received;
        }

        var proxies = trusted.Length == 0 ? TrustedProxies.None : Proxies(trusted);

        var request = Create(context, new GatewaySettings { TrustedProxies = proxies });

        Assert.Equal(forwardedFor, request.ForwardedFor);
    }

    [Fact]
    public void Create_SeveralForwardedForLines_AreOneList_WithoutTheBlankOnes()
    {
        var context = Context("40.1.2.3");
        context.Request.Headers["X-Forwarded-For"] = new(["1.1.1.1", " ", "2.2.2.2, 3.3.3.3,"]);

        var request = Create(context, new GatewaySettings());

        Assert.Equal("1.1.1.1, 2.2.2.2, 3.3.3.3, 40.1.2.3", request.ForwardedFor);
    }

    private static TrustedProxies Proxies(string entry)
    {
        Assert.True(TrustedProxies.TryParseEntry(entry, out var network));
        return new TrustedProxies([network]);
    }

    private static DefaultHttpContext Context(string peer)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Protocol = "HTTP/1.1";
        context.Request.Host = new HostString("echo.cn-hangzhou.fcapp.run");
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        return context;
    }

    private static EventRequest Create(HttpContext context, GatewaySettings settings) =>
        EventRequestFactory.Create(context, "/", ReadOnlyMemory<char>.Empty, new Dictionary<string, StringValues>(), ReadOnlyMemory<byte>.Empty, settings, Time);
}
