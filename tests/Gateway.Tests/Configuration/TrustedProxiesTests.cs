using System.Net;
using FcGateway.Configuration;

namespace Gateway.Tests.Configuration;

public sealed class TrustedProxiesTests
{
    [Theory]
    [InlineData("10.0.0.1", "10.0.0.1/32")]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData(" 192.168.0.0/16 ", "192.168.0.0/16")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("::1", "::1/128")]
    [InlineData("fd00::/8", "fd00::/8")]
    [InlineData("2001:db8::/32", "2001:db8::/32")]
    public void TryParseEntry_AddressOrCidr_Parses(string entry, string network)
    {
        Assert.True(TrustedProxies.TryParseEntry(entry, out var parsed));

        Assert.Equal(IPNetwork.Parse(network), parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-an-ip")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/x")]
    [InlineData("300.0.0.1")]
    [InlineData("fd00::/129")]
    [InlineData("10.0.0.0/8/8")]
    [InlineData("localhost")]
    [InlineData("10")]
    [InlineData("1.2.3")]
    [InlineData("12345")]
    [InlineData("0x0a000001")]
    [InlineData("10/8")]
    public void TryParseEntry_NeitherAddressNorCidr_False(string entry)
    {
        Assert.False(TrustedProxies.TryParseEntry(entry, out _));
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.1.2.3", true)]
    [InlineData("10.0.0.0/8", "10.255.255.255", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("10.0.0.0/8", "::ffff:10.1.2.3", true)]
    [InlineData("10.0.0.0/8", "::ffff:11.0.0.1", false)]
    [InlineData("10.0.0.0/8", "::1", false)]
    [InlineData("10.0.0.0/8", "fd00::a00:1", false)]
    [InlineData("192.168.1.1", "192.168.1.1", true)]
    [InlineData("192.168.1.1", "::ffff:192.168.1.1", true)]
    [InlineData("192.168.1.1", "192.168.1.2", false)]
    [InlineData("fd00::/8", "fd12:3456::1", true)]
    [InlineData("fd00::/8", "fe80::1", false)]
    [InlineData("fd00::/8", "10.0.0.1", false)]
    [InlineData("::1", "::1", true)]
    [InlineData("::1", "127.0.0.1", false)]
    [InlineData("0.0.0.0/0", "203.0.113.9", true)]
    [InlineData("::ffff:10.0.0.0/104", "::ffff:10.1.2.3", true)]
    [InlineData("::ffff:10.0.0.0/104", "10.1.2.3", true)]
    [InlineData("::ffff:10.0.0.1", "10.0.0.1", true)]
    [InlineData("::ffff:10.0.0.0/104", "11.0.0.1", false)]
    public void Contains_Address_MatchesConfiguredNetworks(string entry, string address, bool contained)
    {
        Assert.True(TrustedProxies.TryParseEntry(entry, out var network));
        var proxies = new TrustedProxies([network]);

        Assert.Equal(contained, proxies.Contains(IPAddress.Parse(address)));
    }

    [Fact]
    public void Contains_SeveralNetworks_MatchesAny()
    {
        var proxies = new TrustedProxies([IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("fd00::/8")]);

        Assert.False(proxies.IsEmpty);
        Assert.True(proxies.Contains(IPAddress.Parse("10.0.0.1")));
        Assert.True(proxies.Contains(IPAddress.Parse("fd00::1")));
        Assert.False(proxies.Contains(IPAddress.Parse("192.168.0.1")));
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("::1")]
    [InlineData("::ffff:10.0.0.1")]
    public void None_AnyAddress_IsEmptyAndContainsNothing(string address)
    {
        Assert.True(TrustedProxies.None.IsEmpty);
        Assert.False(TrustedProxies.None.Contains(IPAddress.Parse(address)));
    }
}
