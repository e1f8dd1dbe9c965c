using FcGateway.Configuration.Triggers;

namespace Gateway.Tests.Triggers;

public sealed class PathScopeTests
{
    [Theory]
    [InlineData("/public/a", false)]
    [InlineData("/public/", false)]
    [InlineData("/public", true)]
    [InlineData("/health", false)]
    [InlineData("/health/x", true)]
    [InlineData("/public/A", false)]
    [InlineData("/Public/a", true)]
    [InlineData("/PUBLIC/A", true)]
    [InlineData("/HEALTH", true)]
    [InlineData("/health/", true)]
    [InlineData("//public//a", false)]
    [InlineData("/health//", true)]
    [InlineData("/private", true)]
    public void Whitelist_ListedPathsSkipVerification(string path, bool verified)
    {
        var scope = PathScope.Whitelist(["/public/*", "/health"]);

        Assert.Equal(verified, scope.IsVerified(path, path));
    }

    [Theory]
    [InlineData("/admin/users", true)]
    [InlineData("/admin", true)]
    [InlineData("/administrator", true)]
    [InlineData("/ADMIN", true)]
    [InlineData("/Admin/x", true)]
    [InlineData("//admin", true)]
    [InlineData("/x//../admin", true)]
    [InlineData("/admin/", true)]
    [InlineData("/public", false)]
    [InlineData("/public//x", false)]
    public void Blacklist_OnlyListedPathsAreVerified(string path, bool verified)
    {
        var scope = PathScope.Blacklist(["/admin*"]);

        Assert.Equal(verified, scope.IsVerified(path, path));
    }

    [Theory]
    [InlineData("/exact", true)]
    [InlineData("/exact/", true)]
    [InlineData("/EXACT//", true)]
    [InlineData("/exact/x", false)]
    [InlineData("/dir", true)]
    [InlineData("/Dir/", true)]
    [InlineData("/dir/x/", true)]
    [InlineData("/directory", false)]
    [InlineData("/", false)]
    public void Blacklist_PathWithOrWithoutATrailingSlash_IsVerified(string path, bool verified) =>
        Assert.Equal(verified, PathScope.Blacklist(["/exact", "/dir/*"]).IsVerified(path, path));

    [Theory]
    [InlineData("/public/..%2Fsecret", "/public/..%2fsecret")]
    [InlineData("/public/..%2Fsecret", "/public/%2e%2e%2fsecret")]
    [InlineData("/public/x", "/secret/../public/x")]
    [InlineData("/public/x", "/public/./x")]
    [InlineData("/public", "/public/x/..")]
    [InlineData("/public/x", "/public/x/.")]
    [InlineData("/public/x", "/public/x/%2e")]
    public void Whitelist_DotSegmentInTheDecodedRawPath_IsVerified(string path, string rawPath) =>
        Assert.True(PathScope.Whitelist(["/public/*"]).IsVerified(path, rawPath));

    [Theory]
    [InlineData("/home", "/admin/../home")]
    [InlineData("/x/..%2Fadmin", "/x/..%2fadmin")]
    public void Blacklist_DotSegmentInTheDecodedRawPath_IsVerified(string path, string rawPath) =>
        Assert.True(PathScope.Blacklist(["/admin*"]).IsVerified(path, rawPath));

    [Theory]
    [InlineData("/public/..;/secret", "/public/..;/secret")]
    [InlineData("/public/..;jsessionid=1/secret", "/public/%2e%2e;jsessionid=1/secret")]
    [InlineData("/public/..;/secret", "/public/..%3b/secret")]
    public void Whitelist_DotSegmentWithPathParameters_IsVerified(string path, string rawPath) =>
        Assert.True(PathScope.Whitelist(["/public/*"]).IsVerified(path, rawPath));

    [Theory]
    [InlineData("/exact;jsessionid=1", "/exact;jsessionid=1")]
    [InlineData("/exact;", "/exact%3B")]
    [InlineData("/exact;/", "/exact;/")]
    [InlineData("/x/;a/admin", "/x/;a/admin")]
    [InlineData("/;x/admin/users", "/;x/admin/users")]
    [InlineData("/admin;x/users", "/admin;x/users")]
    public void Blacklist_PathParametersAServletContainerRemoves_AreVerified(string path, string rawPath) =>
        Assert.True(PathScope.Blacklist(["/exact", "/admin/*", "/x/admin"]).IsVerified(path, rawPath));

    [Theory]
    [InlineData("/public%2Fx", "/public%2fx", true)]
    [InlineData("/x", "/public/x", true)]
    [InlineData("/public/x", "/x", true)]
    [InlineData("/public/a..b", "/public/a..b", false)]
    [InlineData("/public/.well-known", "/public/.well-known", false)]
    public void Whitelist_SkipsOnlyWhenBothReadingsSkip(string path, string rawPath, bool verified) =>
        Assert.Equal(verified, PathScope.Whitelist(["/public/*"]).IsVerified(path, rawPath));

    [Theory]
    [InlineData("/admin%2Fx", "/admin%2fx")]
    [InlineData("/x", "/admin")]
    public void Blacklist_VerifiesWhenEitherReadingIsListed(string path, string rawPath) =>
        Assert.True(PathScope.Blacklist(["/admin/*", "/admin"]).IsVerified(path, rawPath));

    [Fact]
    public void Patterns_WithRepeatedSlashes_MatchTheCollapsedPath() =>
        Assert.False(PathScope.Whitelist(["/public//*"]).IsVerified("/public/a", "/public/a"));

    [Fact]
    public void All_VerifiesEveryPath() => Assert.True(PathScope.All.IsVerified("/anything", "/anything"));

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
