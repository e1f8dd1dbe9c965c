using System.Net;
using System.Net.Sockets;

namespace FcGateway.Configuration;

internal static partial class ListenerCollisions
{
    /// <summary>
    /// A listener: the key that configures it and a note of when it bound (its key as named is both), its URL as written
    /// (or as bound), the addresses it binds, the families it binds whole (every interface: <c>0.0.0.0</c> IPv4's,
    /// <c>[::]</c>, <c>*</c> and <c>+</c> both) and its port.
    /// </summary>
    private sealed record Listener(string Setting, string Note, string Url, IPAddress[] Addresses, AddressFamily[] AnyOf, int Port)
    {
        public string Key => Setting + Note;

        public bool Overlaps(Listener other) =>
            Port == other.Port && (Addresses.Intersect(other.Addresses).Any() || Covers(other) || other.Covers(this));

        private bool Covers(Listener other) =>
            other.Addresses.Any(address => AnyOf.Contains(address.AddressFamily)) || other.AnyOf.Intersect(AnyOf).Any();
    }
}
