using System.Net;

namespace FcGateway.Configuration;

/// <summary>A list of trusted proxy addresses and CIDR ranges (<c>Gateway:ForwardedHeaders:TrustedProxies</c>).</summary>
public sealed class TrustedProxies
{
    /// <summary>The empty list: no proxy is configured, so forwarded headers are kept as received.</summary>
    public static readonly TrustedProxies None = new([]);

    private readonly IPNetwork[] _networks;

    /// <summary>Creates the list from parsed networks.</summary>
    public TrustedProxies(IReadOnlyCollection<IPNetwork> networks)
    {
        _networks = [.. networks];
    }

    /// <summary>True when no proxy is configured.</summary>
    public bool IsEmpty => _networks.Length == 0;

    /// <summary>True when <paramref name="address"/> is one of the configured proxies.</summary>
    public bool Contains(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Parses an address (<c>10.0.0.1</c>) or a CIDR range (<c>10.0.0.0/8</c>, <c>fd00::/8</c>). IPv4 must be
    /// written as four dotted numbers: the short forms <see cref="IPAddress.TryParse(string, out IPAddress)"/>
    /// accepts (<c>10</c> for 0.0.0.10) would trust the wrong address after a typo. IPv4-mapped IPv6 entries
    /// (<c>::ffff:10.0.0.0/104</c>) are stored as IPv4, the form peers are compared in.
    /// </summary>
    public static bool TryParseEntry(string text, out IPNetwork network)
    {
        network = default;
        var trimmed = text.Trim();
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? trimmed : trimmed[..slash];
        if (!IsFullAddressForm(addressText) || !IPAddress.TryParse(addressText, out var address))
        {
            return false;
        }

        if (slash < 0)
        {
            network = new IPNetwork(address, address.GetAddressBytes().Length * 8);
        }
        else if (!IPNetwork.TryParse(trimmed, out network))
        {
            return false;
        }

        if (network.BaseAddress.IsIPv4MappedToIPv6 && network.PrefixLength >= 96)
        {
            network = new IPNetwork(network.BaseAddress.MapToIPv4(), network.PrefixLength - 96);
        }

        return true;
    }

    private static bool IsFullAddressForm(string address)
    {
        if (address.Contains(':', StringComparison.Ordinal))
        {
            return true;
        }

        var parts = address.Split('.');
        return parts.Length == 4 && Array.TrueForAll(parts, part => part.Length is > 0 and <= 3 && part.All(char.IsAsciiDigit));
    }
}
