using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace FcGateway.Configuration.Triggers;

/// <summary>
/// Which signature algorithms a JWKS key verifies — one algorithm per key where the key says which (RFC 8725 §3.1):
/// the <c>alg</c> its JWK declares; without one, the ES algorithm of an EC key's curve (P-256 ES256, P-384 ES384,
/// P-521 ES512), or RS256…PS512 for an RSA key. Asymmetric algorithms only: <c>none</c> and HMAC never verify.
/// </summary>
internal static class JwtKeyAlgorithms
{
    private static readonly string[] Rsa =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
    ];

    /// <summary>
    /// The algorithms <paramref name="key"/> verifies, given the <c>alg</c> its JWK declares (<paramref name="declared"/>);
    /// empty when the declared one is not an algorithm of such a key.
    /// </summary>
    public static IReadOnlyList<string> Of(SecurityKey key, string? declared)
    {
        var usable = key switch
        {
            ECDsaSecurityKey ec => OfCurve(ec.KeySize),
            _ when IsRsa(key) => Rsa,
            _ => [],
        };
        return string.IsNullOrEmpty(declared) ? usable : usable.Contains(declared, StringComparer.Ordinal) ? [declared] : [];
    }

    /// <summary>Whether <paramref name="key"/> is an RSA key, on its own or as a certificate's.</summary>
    public static bool IsRsa(SecurityKey key) => key is RsaSecurityKey or X509SecurityKey { PublicKey: RSA };

    private static string[] OfCurve(int keySize) => keySize switch
    {
        256 => [SecurityAlgorithms.EcdsaSha256],
        384 => [SecurityAlgorithms.EcdsaSha384],
        521 => [SecurityAlgorithms.EcdsaSha512],
        _ => [],
    };
}
