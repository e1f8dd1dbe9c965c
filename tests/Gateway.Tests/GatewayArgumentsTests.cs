using FcGateway;

namespace Gateway.Tests;

public sealed class GatewayArgumentsTests
{
    [Theory]
    [InlineData("--urls", "http://127.0.0.1:0")]
    [InlineData("--Gateway:Region=eu-1")]
    [InlineData("/Gateway:Region", "eu-1")]
    [InlineData("Gateway:Region=eu-1")]
    [InlineData("--Gateway:Region", "-1", "--contentRoot", ".")]
    public void ArgumentsTheConfigurationReads_AreAccepted(params string[] args) => GatewayArguments.ThrowIfIgnored(args);

    [Theory]
    [InlineData("'bogus' (not a setting", "--urls", "http://127.0.0.1:0", "bogus")]
    [InlineData("'--Gateway:Region' (no value follows it)", "--urls", "http://127.0.0.1:0", "--Gateway:Region")]
    [InlineData("'-x' (one dash: write --x)", "-x", "1")]
    [InlineData("'-x=1' (one dash: write --x=1)", "-x=1")]
    public void AnArgumentTheConfigurationWouldDropOrThrowOn_StopsStartUpNamingIt(string named, params string[] args)
    {
        var error = Assert.Throws<GatewayStartupException>(() => GatewayArguments.ThrowIfIgnored(args));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
