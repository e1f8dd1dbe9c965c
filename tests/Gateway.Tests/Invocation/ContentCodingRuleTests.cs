using System.Text;
using FcGateway.Dispatch.Push;

namespace Gateway.Tests.Invocation;

/// <summary>One rule for a reply's Content-Encoding, whether read from the head's bytes or from HttpClient's parsed values.</summary>
public sealed class ContentCodingRuleTests
{
    [Theory]
    [InlineData("", true)]
    [InlineData("identity", true)]
    [InlineData(" IDENTITY ,, Identity\t", true)]
    [InlineData("identity\0", true)]
    [InlineData("gzip", false)]
    [InlineData("br", false)]
    [InlineData("deflate", false)]
    [InlineData("identity, gzip", false)]
    [InlineData("identityx", false)]
    [InlineData("iDentit\u0131", false)]
    public void AValue_NamesNoCodingButIdentity_AsCharactersOrAsBytes(string value, bool identity)
    {
        Assert.Equal(identity, ContentCodingRule.IsIdentity(value.AsSpan()));
        Assert.Equal(identity, ContentCodingRule.IsIdentity(Encoding.Latin1.GetBytes(value).AsSpan()));
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(205, true)]
    [InlineData(404, true)]
    [InlineData(429, true)]
    [InlineData(204, false)]
    [InlineData(304, false)]
    public void ACoding_AppliesOnlyToAReplyThatCanHaveABody(int statusCode, bool applies) =>
        Assert.Equal(applies, ContentCodingRule.AppliesTo(statusCode));
}
