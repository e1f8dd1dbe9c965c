using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace FcGateway.Configuration.Triggers;

/// <summary>
/// Reads a JWKS written in configuration — either as JSON text in one value (handy in an environment variable)
/// or as the JSON object itself, which configuration flattens into keys such as <c>Jwks:keys:0:kty</c> and this
/// class turns back into JSON — and returns its signature keys, each with the algorithms it verifies.
/// </summary>
internal static class JwksConfiguration
{
    /// <summary>RSA keys shorter than this are refused: signatures made with them can be forged (NIST SP 800-131A).</summary>
    private const int MinimumRsaKeyBits = 2048;

    /// <summary>
    /// The RSA and EC signature keys of the JWKS in <paramref name="section"/>, reporting to <paramref name="errors"/>
    /// a JWKS with none, an RSA key under 2048 bits, a key whose <c>alg</c> is not one of its algorithms and a
    /// <c>kid</c> that two keys share.
    /// </summary>
    public static IReadOnlyList<JwtSigningKey> ReadSigningKeys(IConfigurationSection section, SettingsErrors errors)
    {
        var json = section.Value ?? ToJson(section);
        JsonWebKeySet set;
        List<(JsonWebKey Jwk, List<JwtSigningKey> Keys)> converted;
        try
        {
            set = new JsonWebKeySet(json);
            converted = [.. set.Keys.Select(jwk => (jwk, SigningKeys(jwk).ToList()))];
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException)
        {
            // The exception text may quote key material; the message names the problem without it.
            errors.Add($"{section.Path}: is not a valid JWKS: write it as {{\"keys\":[{{\"kty\":\"RSA\",\"kid\":\"…\",\"n\":\"…\",\"e\":\"AQAB\"}}]}} (JSON text or the same object in configuration).");
            return [];
        }

        var keys = converted.SelectMany(entry => entry.Keys).ToList();
        if (keys.Count == 0)
        {
            errors.Add($"{section.Path}: holds no RSA or EC signature key: add the public keys (kty RSA with n and e, or kty EC with crv, x and y) under keys.");
        }

        foreach (var key in keys.Select(key => key.Key).Where(key => JwtKeyAlgorithms.IsRsa(key) && key.KeySize < MinimumRsaKeyBits))
        {
            errors.Add($"{section.Path}: the RSA key {Name(key.KeyId)} has {key.KeySize} bits, too few to keep its signatures from being forged: use RSA keys of {MinimumRsaKeyBits} bits or more.");
        }

        // Per JWK, not per converted key: one key with both n/e and x5c converts to two.
        foreach (var (jwk, _) in converted.Where(entry => !string.IsNullOrEmpty(entry.Jwk.Alg) && entry.Keys.Any(key => key.Algorithms.Count == 0)))
        {
            errors.Add($"{section.Path}: the key {Name(jwk.Kid)} declares alg '{jwk.Alg}', which it cannot verify: write the key's own algorithm (RS256…PS512 for an RSA key; ES256 for P-256, ES384 for P-384, ES512 for P-521) or leave alg out.");
        }

        // Counted over the JWKS's own keys, not the converted ones: one key with both n/e and x5c converts to two.
        var signingKeyIds = set.Keys.Where(key => string.IsNullOrEmpty(key.Use) || key.Use == JsonWebKeyUseNames.Sig).Select(key => key.Kid);
        foreach (var shared in signingKeyIds.Where(kid => !string.IsNullOrEmpty(kid)).GroupBy(kid => kid, StringComparer.Ordinal).Where(group => group.Count() > 1))
        {
            errors.Add($"{section.Path}: {shared.Count()} keys have the kid {Name(shared.Key)}, so a token naming it could be verified with either: give each key its own kid.");
        }

        return keys;
    }

    /// <summary>
    /// The signature keys <paramref name="jwk"/> converts to, with the algorithms each verifies. GetSigningKeys converts
    /// an RSA or EC key with use "sig" or none, and skips one it cannot convert (a malformed modulus, an unknown curve),
    /// so a broken key is reported at start-up, not at the first request; it is asked one key at a time so each converted
    /// key keeps the <c>alg</c> of the JWK it came from.
    /// </summary>
    private static IEnumerable<JwtSigningKey> SigningKeys(JsonWebKey jwk)
    {
        var single = new JsonWebKeySet();
        single.Keys.Add(jwk);
        return single.GetSigningKeys().Select(key => new JwtSigningKey(key, JwtKeyAlgorithms.Of(key, jwk.Alg)));
    }

    private static string Name(string? keyId) => string.IsNullOrEmpty(keyId) ? "without a kid" : $"'{keyId}'";

    private static string ToJson(IConfigurationSection section)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteNode(writer, section);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteNode(Utf8JsonWriter writer, IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0 && string.IsNullOrEmpty(section.Value) && section.Key == "keys")
        {
            // A JWKS's keys are a list, and configuration keeps an empty JSON list as an empty value: "keys": [] stays one.
            writer.WriteStartArray();
            writer.WriteEndArray();
            return;
        }

        if (children.Count == 0)
        {
            writer.WriteStringValue(section.Value ?? "");
            return;
        }

        // Configuration writes JSON arrays as children named 0, 1, 2…; anything else was an object.
        var isArray = children.Select((child, index) => child.Key == index.ToString(System.Globalization.CultureInfo.InvariantCulture)).All(match => match);
        if (isArray)
        {
            writer.WriteStartArray();
            children.ForEach(child => WriteNode(writer, child));
            writer.WriteEndArray();
            return;
        }

        writer.WriteStartObject();
        foreach (var child in children)
        {
            writer.WritePropertyName(child.Key);
            WriteNode(writer, child);
        }

        writer.WriteEndObject();
    }
}
