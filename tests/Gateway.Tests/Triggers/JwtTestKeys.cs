using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Tests.Triggers;

/// <summary>A signing key made for one test, its public JWK as configuration keys, and tokens signed with it.</summary>
public sealed class JwtTestKeys : IDisposable
{
    private readonly AsymmetricAlgorithm _algorithm;
    private readonly SigningCredentials _credentials;
    private readonly JsonWebKey _publicJwk;

    private JwtTestKeys(AsymmetricAlgorithm algorithm, SecurityKey privateKey, JsonWebKey publicJwk, string signatureAlgorithm)
    {
        _algorithm = algorithm;
        _credentials = new SigningCredentials(privateKey, signatureAlgorithm);
        _publicJwk = publicJwk;
    }

    public static JwtTestKeys Rsa(string keyId = "rsa-1", int bits = 2048)
    {
        var rsa = RSA.Create(bits);
        var publicJwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = keyId });
        return new JwtTestKeys(rsa, new RsaSecurityKey(rsa) { KeyId = keyId }, publicJwk, SecurityAlgorithms.RsaSha256);
    }

    /// <summary>An EC key on P-256, or on P-384 or P-521 for <paramref name="bits"/> 384 or 521; its tokens are signed with the curve's ES algorithm.</summary>
    public static JwtTestKeys EllipticCurve(string keyId = "ec-1", int bits = 256)
    {
        var (curve, algorithm) = bits switch
        {
            384 => (ECCurve.NamedCurves.nistP384, SecurityAlgorithms.EcdsaSha384),
            521 => (ECCurve.NamedCurves.nistP521, SecurityAlgorithms.EcdsaSha512),
            _ => (ECCurve.NamedCurves.nistP256, SecurityAlgorithms.EcdsaSha256),
        };
        var ecdsa = ECDsa.Create(curve);
        var publicJwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(ecdsa.ExportParameters(false))) { KeyId = keyId });
        return new JwtTestKeys(ecdsa, new ECDsaSecurityKey(ecdsa) { KeyId = keyId }, publicJwk, algorithm);
    }

    /// <summary>The <c>alg</c> the public JWK declares; none when null.</summary>
    public string? DeclaredAlgorithm { get; set; }

    /// <summary>The public key as the flattened configuration of <c>{prefix}:keys:{index}</c>.</summary>
    public IEnumerable<KeyValuePair<string, string?>> JwksConfiguration(string prefix, int index = 0)
    {
        var key = $"{prefix}:keys:{index}";
        yield return new($"{key}:kty", _publicJwk.Kty);
        yield return new($"{key}:kid", _publicJwk.Kid);
        yield return new($"{key}:use", "sig");
        if (DeclaredAlgorithm is not null)
        {
            yield return new($"{key}:alg", DeclaredAlgorithm);
        }

        if (_publicJwk.Kty == JsonWebAlgorithmsKeyTypes.RSA)
        {
            yield return new($"{key}:n", _publicJwk.N);
            yield return new($"{key}:e", _publicJwk.E);
        }
        else
        {
            yield return new($"{key}:crv", _publicJwk.Crv);
            yield return new($"{key}:x", _publicJwk.X);
            yield return new($"{key}:y", _publicJwk.Y);
        }
    }

    public string Token(IDictionary<string, object>? claims = null, DateTime? expires = null, DateTime? notBefore = null, string? issuer = null, string? audience = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims ?? new Dictionary<string, object> { ["sub"] = "user-1" },
            Expires = expires ?? now.AddMinutes(10),
            NotBefore = notBefore ?? now.AddMinutes(-10),
            IssuedAt = (notBefore ?? now.AddMinutes(-10)) < now ? now.AddMinutes(-10) : notBefore,
            Issuer = issuer,
            Audience = audience,
            SigningCredentials = _credentials,
        });
    }

    /// <summary>A valid token signed with this key using <paramref name="algorithm"/> (<c>PS256</c>, <c>ES384</c>…).</summary>
    public string TokenSignedWith(string algorithm) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Claims = new Dictionary<string, object> { ["sub"] = "user-1" },
        Expires = DateTime.UtcNow.AddMinutes(10),
        SigningCredentials = new SigningCredentials(_credentials.Key, algorithm),
    });

    /// <summary>A valid token signed with this key but carrying <paramref name="keyId"/> as its <c>kid</c> (none when null).</summary>
    public string TokenWithKeyId(string? keyId)
    {
        SecurityKey key = _algorithm is RSA rsa ? new RsaSecurityKey(rsa) { KeyId = keyId } : new ECDsaSecurityKey((ECDsa)_algorithm) { KeyId = keyId };
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["sub"] = "user-1" },
            Expires = now.AddMinutes(10),
            NotBefore = now.AddMinutes(-10),
            SigningCredentials = new SigningCredentials(key, _credentials.Algorithm),
        });
    }

    /// <summary>The JOSE header of this key's tokens as JSON text, with <paramref name="extraMembers"/> added (<c>"crit":["foo"]</c>).</summary>
    public string HeaderJson(string extraMembers = "") =>
        $"{{\"alg\":\"{_credentials.Algorithm}\",\"kid\":\"{_publicJwk.Kid}\",\"typ\":\"JWT\"{(extraMembers.Length == 0 ? "" : "," + extraMembers)}}}";

    /// <summary>
    /// A token made of exactly <paramref name="header"/> and <paramref name="payload"/> (encoded segments, written as
    /// given) and a base64url signature over that text, so a test controls every byte IdentityModel reads.
    /// </summary>
    public string SignSegments(string header, string payload)
    {
        var input = Encoding.ASCII.GetBytes($"{header}.{payload}");
        var signature = _algorithm is RSA rsa
            ? rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : ((ECDsa)_algorithm).SignData(input, HashAlgorithmName.SHA256);
        return $"{header}.{payload}.{Base64UrlEncoder.Encode(signature)}";
    }

    public void Dispose() => _algorithm.Dispose();
}
