using System.Net;
using Gateway.Tests.EndToEnd;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Triggers;
using Microsoft.IdentityModel.Tokens;

namespace Gateway.Tests.Attacks;

/// <summary>
/// Tokens correctly signed by a key of the JWKS that break a rule of RFC 7515 or RFC 7519 IdentityModel does not
/// enforce: a <c>crit</c> header naming an extension, a NumericDate written as a JSON string, a segment with base64
/// padding or in the base64 (not base64url) alphabet. Each is signed over its segments as written, so only the
/// broken rule stands between it and the function.
/// </summary>
public sealed class JwtFormatAttackTests
{
    public static TheoryData<string, HttpStatusCode> Tokens() => new()
    {
        { "well-formed", HttpStatusCode.OK },
        { "crit", HttpStatusCode.Unauthorized },
        { "exp as a string", HttpStatusCode.Unauthorized },
        { "nbf as a string", HttpStatusCode.Unauthorized },
        { "iat as a string", HttpStatusCode.Unauthorized },
        { "padded header", HttpStatusCode.Unauthorized },
        { "padded payload", HttpStatusCode.Unauthorized },
        { "padded signature", HttpStatusCode.Unauthorized },
        { "base64 signature", HttpStatusCode.Unauthorized },
    };

    [Theory]
    [MemberData(nameof(Tokens))]
    public async Task SignedTokenBreakingTheCompactFormat_IsRefused(string kind, HttpStatusCode expected)
    {
        using var keys = JwtTestKeys.Rsa();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TriggerAuthenticationTests.StartJwtAsync(worker, keys);

        var response = await TriggerAuthenticationTests.SendAsync(gateway, "/echo/", $"Bearer {Token(keys, kind)}");

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == HttpStatusCode.OK ? 1 : 0, worker.Received.Count);
    }

    private static string Token(JwtTestKeys keys, string kind)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string Date(string claim, long value) => kind == $"{claim} as a string" ? $"\"{value}\"" : $"{value}";
        var payloadJson = $"{{\"sub\":\"user-1\",\"exp\":{Date("exp", now + 600)},\"nbf\":{Date("nbf", now - 600)},\"iat\":{Date("iat", now - 600)}}}";
        var header = Base64UrlEncoder.Encode(keys.HeaderJson(kind == "crit" ? "\"crit\":[\"foo\"],\"foo\":true" : ""));
        var payload = Base64UrlEncoder.Encode(payloadJson);
        var token = kind switch
        {
            "padded header" => keys.SignSegments(Pad(header), payload),
            "padded payload" => keys.SignSegments(header, Pad(payload)),
            _ => keys.SignSegments(header, payload),
        };
        var signatureStart = token.LastIndexOf('.') + 1;
        return kind switch
        {
            "padded signature" => token[..signatureStart] + Pad(token[signatureStart..]),
            "base64 signature" => token[..signatureStart] + ToBase64Alphabet(token[signatureStart..]),
            _ => token,
        };
    }

    private static string Pad(string segment)
    {
        var padded = segment + new string('=', (4 - (segment.Length % 4)) % 4);
        Assert.NotEqual(segment, padded);
        return padded;
    }

    private static string ToBase64Alphabet(string segment)
    {
        var base64 = segment.Replace('-', '+').Replace('_', '/');
        Assert.NotEqual(segment, base64);
        return base64;
    }
}
