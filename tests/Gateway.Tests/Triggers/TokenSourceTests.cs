using FcGateway.Configuration.Triggers;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Triggers;

public sealed class TokenSourceTests
{
    [Fact]
    public void TryParseList_KeepsOrderAndTheTrailingSpaceOfAPrefix()
    {
        Assert.True(TokenSource.TryParseList("header:Authorization:Bearer ,cookie:token, query:jwt", out var sources, out _));

        Assert.Equal(
            [new(TokenLocation.Header, "Authorization", "Bearer "), new(TokenLocation.Cookie, "token", ""), new(TokenLocation.Query, "jwt", "")],
            sources);
    }

    [Fact]
    public void TryParseList_PrefixMayContainColons()
    {
        Assert.True(TokenSource.TryParseList("header:X-Token:v1:", out var sources, out _));

        Assert.Equal("v1:", Assert.Single(sources).Prefix);
    }

    [Theory]
    [InlineData("")]
    [InlineData("header")]
    [InlineData("header:")]
    [InlineData("header:Bad Name")]
    [InlineData("form:token")]
    [InlineData("0:token")]
    [InlineData("cookie:token,,query:jwt")]
    public void TryParseList_Invalid_ReturnsFalseWithAnExplanation(string text)
    {
        Assert.False(TokenSource.TryParseList(text, out var sources, out var errors));

        Assert.Null(sources);
        Assert.Contains("header:<name>", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bearer abc", "abc")]
    [InlineData("bearer abc", "abc")]
    [InlineData("Bearer   abc  ", "abc")]
    [InlineData("Basic abc", null)]
    [InlineData("Bearer ", null)]
    [InlineData("", null)]
    public void Find_Header_StripsThePrefix(string header, string? expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = header;

        Assert.Equal(expected, TokenSource.DefaultLookup[0].Find(context.Request));
    }

    [Fact]
    public void Find_PrefixWithoutSpace_TrimsTheToken()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = "Bearer abc";

        Assert.Equal("abc", new TokenSource(TokenLocation.Header, "Authorization", "Bearer").Find(context.Request));
    }

    [Fact]
    public void Find_CookieAndQuery()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = "a=1; token=xyz";
        context.Request.QueryString = new QueryString("?jwt=qq");

        Assert.Equal("xyz", new TokenSource(TokenLocation.Cookie, "token", "").Find(context.Request));
        Assert.Equal("qq", new TokenSource(TokenLocation.Query, "jwt", "").Find(context.Request));
        Assert.Null(new TokenSource(TokenLocation.Query, "other", "").Find(context.Request));
    }

    /// <summary>
    /// A browser sends every cookie of the name it holds for the request, one per path and domain (RFC 6265 §5.4), in
    /// either order: each is a token to try. ASP.NET Core's cookie collection keeps only the last.
    /// </summary>
    [Fact]
    public void FindAll_Cookie_GivesEachCookieOfTheName_InOrder()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = new(["token=first; a=1; Token=\"second\"", "token=; token=th%69rd"]);

        Assert.Equal(["first", "second", "third"], new TokenSource(TokenLocation.Cookie, "token", "").FindAll(context.Request));
        Assert.Equal("first", new TokenSource(TokenLocation.Cookie, "token", "").Find(context.Request));
    }

    [Fact]
    public void Find_QuotedCookieValue_IsTheTokenWithoutItsQuotes()
    {
        // RFC 6265 §4.1.1: cookie-value = *cookie-octet / ( DQUOTE *cookie-octet DQUOTE ); the quotes are not part of it.
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = "a=1; token=\"xyz\"";

        Assert.Equal("xyz", new TokenSource(TokenLocation.Cookie, "token", "").Find(context.Request));
    }
}
