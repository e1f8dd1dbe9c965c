using FcGateway.Dialects.FcV1.Events;

namespace Gateway.Tests.Events;

public sealed class GoCanonicalHeaderNameTests
{
    [Theory]
    [InlineData("x-custom-header", "X-Custom-Header")]
    [InlineData("header1", "Header1")]
    [InlineData("CONTENT-TYPE", "Content-Type")]
    [InlineData("content-type", "Content-Type")]
    [InlineData("Content-Type", "Content-Type")]
    [InlineData("user-agent", "User-Agent")]
    [InlineData("X-FORWARDED-FOR", "X-Forwarded-For")]
    [InlineData("x-real-ip", "X-Real-Ip")]
    [InlineData("ETag", "Etag")]
    [InlineData("a", "A")]
    [InlineData("-a", "-A")]
    [InlineData("a-", "A-")]
    [InlineData("a--b", "A--B")]
    [InlineData("1-abc", "1-Abc")]
    [InlineData("x-1a", "X-1a")]
    [InlineData("x_custom_header", "X_custom_header")]
    [InlineData("", "")]
    public void Write_Name_UpperCasesFirstLetterAndLettersAfterHyphens(string name, string canonical)
    {
        var destination = new char[name.Length];

        GoCanonicalHeaderName.Write(name, destination);

        Assert.Equal(canonical, new string(destination));
    }
}
