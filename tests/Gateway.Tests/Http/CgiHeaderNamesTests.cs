using FcGateway.Http;

namespace Gateway.Tests.Http;

public sealed class CgiHeaderNamesTests
{
    [Theory]
    [InlineData("X-User-Id", "X-User-Id", true)]
    [InlineData("X_User_Id", "X-User-Id", true)]
    [InlineData("x_user-ID", "X-User-Id", true)]
    [InlineData("X-User-Id", "X_USER_ID", true)]
    [InlineData("X-User-Ids", "X-User-Id", false)]
    [InlineData("X.User.Id", "X-User-Id", false)]
    [InlineData("XUser-Id", "X-User-Id", false)]
    [InlineData("X-User^Id", "X-User~Id", false)]
    [InlineData("", "", true)]
    public void AreSame_UnderscoreAndHyphenAlike_CaseIgnored(string left, string right, bool same) =>
        Assert.Equal(same, CgiHeaderNames.AreSame(left, right));
}
