using FcGateway.Configuration;

namespace Gateway.Tests.Configuration;

public sealed class ClientListenUrlTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("https://0.0.0.0:8443")]
    [InlineData("http://[::]:8080")]
    [InlineData("http://[::1]:0")]
    [InlineData("http://localhost:8080")]
    [InlineData("http://*:8080")]
    [InlineData("http://+:8080")]
    [InlineData("http://127.0.0.1")]
    [InlineData("http://unix:/run/gateway.sock")]
    [InlineData("HTTP://127.0.0.1:8080")]
    [InlineData("Https://[::1]:8443")]
    public void AnAddressKestrelListensOnAsWritten_HasNoProblem(string url) => Assert.Null(ClientListenUrl.Problem(url));

    [Theory]
    [InlineData("127.0.0.1:8080", "is not an address to listen on")]
    [InlineData("ftp://127.0.0.1:21", "is neither http:// nor https://")]
    [InlineData("http://127.0.0.1:8080/base", "has a path ('/base')")]
    [InlineData("http://127.0.0.1:99999", "has no port between 0 and 65535")]
    [InlineData("http://127.0.0.l:8080", "'127.0.0.l' is neither an IP address nor localhost, for which Kestrel would listen on every interface")]
    [InlineData("http://gateway.example:8080", "'gateway.example' is neither an IP address nor localhost")]
    public void AnAddressKestrelWouldRefuseOrWiden_IsNamedWithWhy(string url, string why) =>
        Assert.Contains(why, ClientListenUrl.Problem(url), StringComparison.Ordinal);
}
