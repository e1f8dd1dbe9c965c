using FcGateway.Http;

namespace Gateway.Tests.Http;

public sealed class HttpTokensTests
{
    [Theory]
    [InlineData("X-Custom")]
    [InlineData("a")]
    [InlineData("!#$%&'*+-.^_`|~09AZaz")]
    public void IsToken_Token_True(string name)
    {
        Assert.True(HttpTokens.IsToken(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("My Header")]
    [InlineData("My:Header")]
    [InlineData("Héader")]
    [InlineData("X-\r\n")]
    [InlineData("X\0")]
    [InlineData("(x)")]
    [InlineData("a/b")]
    [InlineData("a\"b")]
    [InlineData("a\tb")]
    public void IsToken_NotAToken_False(string name)
    {
        Assert.False(HttpTokens.IsToken(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("value")]
    [InlineData("with space and\ttab")]
    [InlineData("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")]
    public void IsValidFieldValue_VisibleAsciiSpaceTab_True(string value)
    {
        Assert.True(HttpTokens.IsValidFieldValue(value));
    }

    [Theory]
    [InlineData("a\rb")]
    [InlineData("a\nb")]
    [InlineData("a\0b")]
    [InlineData("\u0001")]
    [InlineData("\u001f")]
    [InlineData("\u007f")]
    [InlineData("é")]
    [InlineData("中")]
    [InlineData("😀")]
    public void IsValidFieldValue_ControlOrNonAscii_False(string value)
    {
        Assert.False(HttpTokens.IsValidFieldValue(value));
    }
}
