using Microsoft.IdentityModel.Tokens;

namespace FcGateway.Configuration.Triggers;

/// <summary>A signature key of a trigger's JWKS and the algorithms a token signed with it may name (<see cref="JwtKeyAlgorithms"/>).</summary>
internal sealed record JwtSigningKey(SecurityKey Key, IReadOnlyList<string> Algorithms);
