using FcGateway.Configuration;

namespace Gateway.Tests.Configuration;

public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("http://127.0.0.1:9511", "127.0.0.1:9511")]
    [InlineData(" http://0.0.0.0:9511/ ", "0.0.0.0:9511")]
    [InlineData("http://localhost:0", "127.0.0.1:0")]
    [InlineData("http://[::1]:9511", "[::1]:9511")]
    [InlineData("http://10.0.0.7", "10.0.0.7:80")]
    public void AnHttpUrlOfAnIpAddressOrLocalhost_IsItsEndPoint(string url, string endpoint)
    {
        Assert.True(ListenAddress.TryParse(url, out var parsed));
        Assert.Equal(endpoint, parsed.ToString());
    }

    [Theory]
    [InlineData("127.0.0.1:9511")]
    [InlineData("https://127.0.0.1:9511")]
    [InlineData("http://gateway.example:9511")]
    [InlineData("http://*:9511")]
    [InlineData("http://127.0.0.1:9511/functions/echo")]
    [InlineData("http://127.0.0.1:9511/?a=1")]
    [InlineData("http://user@127.0.0.1:9511")]
    public void AnythingElse_IsRefused(string url) => Assert.False(ListenAddress.TryParse(url, out _));

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("[::]", true)]
    [InlineData("localhost", true)]
    [InlineData("*", true)]
    [InlineData("+", true)]
    [InlineData("127.0.0.l", false)]
    [InlineData("gateway.example", false)]
    public void IsListenedOnAsWritten_OnlyForAddressesLocalhostAndWildcards(string host, bool asWritten) =>
        Assert.Equal(asWritten, ListenAddress.IsListenedOnAsWritten(host));
}
