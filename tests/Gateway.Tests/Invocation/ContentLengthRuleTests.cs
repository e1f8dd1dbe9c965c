using System.Text;
using FcGateway.Dispatch.Push;

namespace Gateway.Tests.Invocation;

/// <summary>One rule for a reply's Content-Length, whether read from the head's bytes or from HttpClient's parsed values.</summary>
public sealed class ContentLengthRuleTests
{
    [Theory]
    [InlineData(new[] { "5" }, "One", 5)]
    [InlineData(new[] { "5", "05" }, "One", 5)]
    [InlineData(new[] { " 5 ,5" }, "One", 5)]
    [InlineData(new[] { "5", "6" }, "Conflicting", 5)]
    [InlineData(new[] { "5, 6" }, "Conflicting", 5)]
    [InlineData(new[] { "abc" }, "Invalid", 0)]
    [InlineData(new[] { "-1" }, "Invalid", 0)]
    [InlineData(new[] { "" }, "Invalid", 0)]
    [InlineData(new[] { "99999999999999999999" }, "Invalid", 0)]
    [InlineData(new[] { "5", "6", "x" }, "Invalid", 5)]
    public void TheLinesValues_GiveOneStateAndLength_AsCharactersOrAsBytes(string[] lines, string expected, long expectedLength)
    {
        var (charsState, charsLength) = (ContentLengthRule.State.Absent, 0L);
        var (bytesState, bytesLength) = (ContentLengthRule.State.Absent, 0L);
        foreach (var line in lines)
        {
            charsState = ContentLengthRule.Read(line.AsSpan(), charsState, ref charsLength);
            bytesState = ContentLengthRule.Read(Encoding.ASCII.GetBytes(line).AsSpan(), bytesState, ref bytesLength);
        }

        Assert.Equal(expected, charsState.ToString());
        Assert.Equal(expected, bytesState.ToString());
        Assert.Equal(expectedLength, charsLength);
        Assert.Equal(expectedLength, bytesLength);
    }

    [Fact]
    public void OnlyAnUnusableState_IsDescribed()
    {
        Assert.Null(ContentLengthRule.Describe(ContentLengthRule.State.One, "5"));
        Assert.Equal("conflicting Content-Length values (5, 6)", ContentLengthRule.Describe(ContentLengthRule.State.Conflicting, "5, 6"));
        Assert.Equal("an invalid Content-Length (abc)", ContentLengthRule.Describe(ContentLengthRule.State.Invalid, "abc"));
    }
}
