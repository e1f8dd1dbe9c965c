using FcGateway.Edge.HttpTriggers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Tests.Events;

public sealed class RequestTargetTests
{
    [Theory]
    [InlineData("/echo", "/echo", "")]
    [InlineData("/echo?", "/echo", "")]
    [InlineData("/echo?a=1", "/echo", "a=1")]
    [InlineData("/echo?a=1&a=2&b", "/echo", "a=1&a=2&b")]
    [InlineData("/echo?q=a%20b+c&x=%E4%B8%AD", "/echo", "q=a%20b+c&x=%E4%B8%AD")]
    [InlineData("/a%3Fb?c=d?e", "/a%3Fb", "c=d?e")]
    public void Split_RawTarget_IsThePathAndTheQueryAsReceived_WithoutQuestionMark(string rawTarget, string rawPath, string rawQueryString)
    {
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;
        var query = rawTarget.IndexOf('?', StringComparison.Ordinal);
        context.Request.QueryString = new QueryString(query < 0 ? "" : rawTarget[query..]);

        var split = RequestTarget.Split(context);

        Assert.Equal(rawPath, split.RawPath);
        Assert.Equal(rawQueryString, split.RawQueryString.ToString());
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("?a=1&b=%20", "a=1&b=%20")]
    public void Split_NoRawTarget_IsTheRequestQueryString(string queryString, string rawQueryString)
    {
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = "";
        context.Request.QueryString = new QueryString(queryString);

        Assert.Equal(rawQueryString, RequestTarget.Split(context).RawQueryString.ToString());
    }

    [Fact]
    public void Split_AQueryRewrittenAfterArrival_IsTheQueryTheFunctionGets()
    {
        // A trigger removed a query token and a forged claim: the raw target still holds them, the request does not.
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = "/echo?jwt=secret&uid=forged&page=2";
        context.Request.QueryString = new QueryString("?page=2&uid=u-42");

        var split = RequestTarget.Split(context);

        Assert.Equal("/echo", split.RawPath);
        Assert.Equal("page=2&uid=u-42", split.RawQueryString.ToString());
    }
}
