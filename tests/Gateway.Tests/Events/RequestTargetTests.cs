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
}
