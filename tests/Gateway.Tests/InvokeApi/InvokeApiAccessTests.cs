using System.Net;
using FcGateway.Configuration;
using FcGateway.Edge.InvokeApi;
using FcGateway.Outcomes;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.InvokeApi;

public sealed class InvokeApiAccessTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.0.0.2", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("203.0.113.5", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("fd00::1", false)]
    public void WithoutTokens_OnlyLoopbackPeersMayCall(string peer, bool allowed)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);

        var refusal = Check(context, InvokeApiSettings.Default);

        Assert.Equal(allowed, refusal is null);
        if (!allowed)
        {
            Assert.Equal(Outcome.AccessDenied, refusal!.Value.Error);
        }
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("Basic dXNlcjpwYXNz", false)]
    [InlineData("Bearer", false)]
    [InlineData("Bearer other-token", false)]
    [InlineData("Bearer first-token", true)]
    [InlineData("bearer second-token", true)]
    public void WithTokens_ABearerTokenIsRequired_FromAnyPeer(string? authorization, bool allowed)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.5");
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        var refusal = Check(context, new InvokeApiSettings { BearerTokens = ["first-token", "second-token"] });

        Assert.Equal(allowed, refusal is null);
        if (!allowed)
        {
            Assert.Equal(Outcome.Unauthenticated, refusal!.Value.Error);
            Assert.StartsWith("Bearer", context.Response.Headers.WWWAuthenticate.ToString(), StringComparison.Ordinal);
        }
    }

    /// <summary>The check for FC's invocation API, which takes no AWS signatures.</summary>
    private static (Outcome Error, string Message)? Check(HttpContext context, InvokeApiSettings settings) =>
        InvokeApiAccess.Check(context, new GatewaySettings { InvokeApi = settings }, FcInvokeApi.Instance, DateTimeOffset.UnixEpoch, out _);
}
