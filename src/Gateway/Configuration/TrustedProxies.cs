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

    /// <summary>Parses an address (<c>10.0.0.1</c>) or a CIDR range (<c>10.0.0.0/8</c>, <c>fd00::/8</c>).</summary>
    public static bool TryParseEntry(string text, out IPNetwork network)
    {
        var trimmed = text.Trim();
        if (IPNetwork.TryParse(trimmed, out network))
        {
            return true;
        }

        if (IPAddress.TryParse(trimmed, out var address))
        {
            network = new IPNetwork(address, address.GetAddressBytes().Length * 8);
            return true;
        }

        return false;
    }
}
