using FcGateway.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Tests.Http;

public sealed class RequestHostTests
{
    [Theory]
    [InlineData("http://example.com/echo/x", "example.com", null)]
    [InlineData("http://example.com:8080?a=1", "example.com", 8080)]
    [InlineData("https://user@example.com/", "example.com", null)]
    [InlineData("/echo/x", "", null)]
    [InlineData("*", "", null)]
    public void WithoutAHostHeader_AnAbsoluteTargetNamesTheHost_AsAnHttp10RequestMayCarryIt(string rawTarget, string host, int? port)
    {
        var request = RequestWith(rawTarget, hostHeader: null);

        var sent = RequestHost.Of(request);

        Assert.Equal(host, sent.Host);
        Assert.Equal(port, sent.Port);
    }

    [Fact]
    public void TheHostHeader_WinsOverAnAbsoluteTarget()
    {
        var request = RequestWith("http://example.com/echo/x", hostHeader: "xn--bcher-kva.example");

        Assert.Equal("xn--bcher-kva.example", RequestHost.Of(request).Host);
    }

    private static HttpRequest RequestWith(string rawTarget, string? hostHeader)
    {
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;
        if (hostHeader is not null)
        {
            context.Request.Headers.Host = hostHeader;
        }

        return context.Request;
    }
}
