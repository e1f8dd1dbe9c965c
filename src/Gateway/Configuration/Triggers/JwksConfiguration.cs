using System.Text.Json;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace FcGateway.Configuration.Triggers;

/// <summary>
/// Reads a JWKS written in configuration — either as JSON text in one value (handy in an environment variable)
/// or as the JSON object itself, which configuration flattens into keys such as <c>Jwks:keys:0:kty</c> and this
/// class turns back into JSON — and returns its signature keys.
/// </summary>
internal static class JwksConfiguration
{
    /// <summary>The RSA and EC signature keys of the JWKS in <paramref name="section"/>; empty with an error when there are none.</summary>
    public static IReadOnlyList<SecurityKey> ReadSigningKeys(IConfigurationSection section, out string? error)
    {
        var json = section.Value ?? ToJson(section);
        try
        {
            // GetSigningKeys converts each RSA and EC key with use "sig" or none, and skips keys it cannot
            // convert (a malformed modulus, an unknown curve), so a broken key is reported here, not at the first request.
            var keys = new JsonWebKeySet(json).GetSigningKeys().ToList();
            error = keys.Count == 0 ? "holds no RSA or EC signature key: add the public keys (kty RSA with n and e, or kty EC with crv, x and y) under keys." : null;
            return keys;
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException)
        {
            // The exception text may quote key material; the message names the problem without it.
            error = "is not a valid JWKS: write it as {\"keys\":[{\"kty\":\"RSA\",\"kid\":\"…\",\"n\":\"…\",\"e\":\"AQAB\"}]} (JSON text or the same object in configuration).";
            return [];
        }
    }

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
