namespace FcGateway.RuntimeApi;

/// <summary>
/// The address a prefixed port serves every request under (<see cref="PrefixedPorts"/>): a function's own port, or a
/// launched instance's. Kept in the items of each connection the port accepts.
/// </summary>
internal sealed record PortPrefix(string Function, string? Instance)
{
    /// <summary>The connection item holding the prefix of the port that accepted it.</summary>
    public const string Item = "FcGateway.RuntimeApi.PortPrefix";
}
