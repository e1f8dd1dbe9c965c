using FcGateway.Triggers;

namespace Gateway.Tests.Triggers;

public sealed class PathScopeTests
{
    [Theory]
    [InlineData("/public/a", false)]
    [InlineData("/public/", false)]
    [InlineData("/public", true)]
    [InlineData("/health", false)]
    [InlineData("/health/x", true)]
    [InlineData("/Public/a", true)]
    [InlineData("/private", true)]
    public void Whitelist_ListedPathsSkipVerification(string path, bool verified)
    {
        var scope = PathScope.Whitelist(["/public/*", "/health"]);

        Assert.Equal(verified, scope.IsVerified(path));
    }

    [Theory]
    [InlineData("/admin/users", true)]
    [InlineData("/admin", true)]
    [InlineData("/administrator", true)]
    [InlineData("/public", false)]
    public void Blacklist_OnlyListedPathsAreVerified(string path, bool verified)
    {
        var scope = PathScope.Blacklist(["/admin*"]);

        Assert.Equal(verified, scope.IsVerified(path));
    }

    [Fact]
    public void All_VerifiesEveryPath() => Assert.True(PathScope.All.IsVerified("/anything"));

    [Theory]
    [InlineData("/a", true)]
    [InlineData("/a/*", true)]
    [InlineData("/*", true)]
    [InlineData("a", false)]
    [InlineData("", false)]
    [InlineData("/a*/b", false)]
    [InlineData("/**", false)]
    public void IsValidPattern(string pattern, bool valid) => Assert.Equal(valid, PathScope.IsValidPattern(pattern));
}
