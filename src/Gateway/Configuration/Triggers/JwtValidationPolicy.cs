using Microsoft.IdentityModel.Tokens;

namespace FcGateway.Configuration.Triggers;

/// <summary>
/// How a trigger's JWTs are validated: a signature by one of the JWKS keys with an algorithm of that key
/// (<see cref="JwtKeyAlgorithms"/>), the key chosen by <c>kid</c>, a required and current lifetime, and the issuer and
/// audience when they are configured.
/// </summary>
internal static class JwtValidationPolicy
{
    /// <summary>Tolerance for clocks that disagree about <c>exp</c> and <c>nbf</c>.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The validation parameters for tokens signed by <paramref name="keys"/>; the issuer and audience are checked
    /// only when given.
    /// </summary>
    public static TokenValidationParameters Create(IReadOnlyList<JwtSigningKey> keys, string? issuer, string? audience)
    {
        var securityKeys = keys.Select(key => key.Key).ToList();
        return new()
        {
            IssuerSigningKeys = securityKeys,
            IssuerSigningKeyResolver = KeyIdResolver(securityKeys),
            TryAllIssuerSigningKeys = false,
            AlgorithmValidator = AlgorithmOfTheKey(keys),
            ValidateIssuerSigningKey = true,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = ClockSkew,
            ValidateIssuer = issuer is not null,
            ValidIssuer = issuer,
            ValidateAudience = audience is not null,
            ValidAudience = audience,
        };
    }

    /// <summary>
    /// Accepts a token's <c>alg</c> only when it is an algorithm of the key that verifies it. IdentityModel asks this
    /// instead of <c>ValidAlgorithms</c>, which it then ignores; every key's list holds asymmetric algorithms only.
    /// </summary>
    private static AlgorithmValidator AlgorithmOfTheKey(IReadOnlyList<JwtSigningKey> keys)
    {
        var byKey = keys.ToDictionary<JwtSigningKey, SecurityKey, IReadOnlyList<string>>(key => key.Key, key => key.Algorithms, ReferenceEqualityComparer.Instance);
        return (algorithm, key, _, _) => byKey.TryGetValue(key, out var algorithms) && algorithms.Contains(algorithm, StringComparer.Ordinal);
    }

    /// <summary>
    /// Picks the keys a token's signature is checked with: the keys whose <c>kid</c> is the token's — none when no key
    /// has it — or every key when the token has no <c>kid</c>. Used with <c>TryAllIssuerSigningKeys = false</c>, since
    /// IdentityModel would otherwise try every key after a <c>kid</c> that names none, and accept a token that
    /// names one key but is signed by another.
    /// </summary>
    private static IssuerSigningKeyResolver KeyIdResolver(IReadOnlyList<SecurityKey> keys)
    {
        var byKeyId = keys.Where(key => key.KeyId is not null).ToLookup(key => key.KeyId, StringComparer.Ordinal);
        return (_, _, keyId, _) => string.IsNullOrEmpty(keyId) ? keys : byKeyId[keyId];
    }
}
