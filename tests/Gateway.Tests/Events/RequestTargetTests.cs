using FcGateway.Edge.HttpTriggers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Tests.Events;

public sealed class RequestTargetTests
{
    [Theory]
    [InlineData("/echo", "")]
    [InlineData("/echo?", "")]
    [InlineData("/echo?a=1", "a=1")]
    [InlineData("/echo?a=1&a=2&b", "a=1&a=2&b")]
    [InlineData("/echo?q=a%20b+c&x=%E4%B8%AD", "q=a%20b+c&x=%E4%B8%AD")]
    [InlineData("/a%3Fb?c=d?e", "c=d?e")]
    public void RawQueryString_RawTarget_IsTheQueryAsReceivedWithoutQuestionMark(string rawTarget, string rawQueryString)
    {
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;

        Assert.Equal(rawQueryString, RequestTarget.RawQueryString(context).ToString());
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("?a=1&b=%20", "a=1&b=%20")]
    public void RawQueryString_NoRawTarget_IsTheRequestQueryString(string queryString, string rawQueryString)
    {
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = "";
        context.Request.QueryString = new QueryString(queryString);

        Assert.Equal(rawQueryString, RequestTarget.RawQueryString(context).ToString());
    }
}
