using FcGateway.Configuration.Triggers;

namespace Gateway.Tests.Triggers;

public sealed class ClaimPassByRuleTests
{
    [Fact]
    public void TryParseList_ParsesHeaderAndQueryRules()
    {
        Assert.True(ClaimPassByRule.TryParseList("query:uid:uid, header:name:X-User-Name", out var rules, out _));

        Assert.Equal([new(TokenLocation.Query, "uid", "uid"), new(TokenLocation.Header, "name", "X-User-Name")], rules);
    }

    [Theory]
    [InlineData("header:uid")]
    [InlineData("header:uid:X-User:Id")]
    [InlineData("header::X-User-Id")]
    [InlineData("header:uid:")]
    [InlineData("header:uid:Bad Name")]
    [InlineData("header:uid:X-Fc-Request-Id")]
    [InlineData("header:uid:Host")]
    [InlineData("header:uid:Content-Length")]
    [InlineData("cookie:uid:uid")]
    [InlineData("query:uid:")]
    public void TryParseList_Invalid_ReturnsFalse(string text)
    {
        Assert.False(ClaimPassByRule.TryParseList(text, out var rules, out var errors));

        Assert.Null(rules);
        Assert.Contains("header:<claim>:<header name>", Assert.Single(errors), StringComparison.Ordinal);
    }
}
