using System.Security.Cryptography;
using System.Text;
using FcGateway.Configuration;
using FcGateway.Edge.Requests;
using FcGateway.Edge.Signatures;
using FcGateway.Outcomes;

namespace FcGateway.Edge.InvokeApi;

/// <summary>
/// Who may call the direct invocation APIs: holders of a configured bearer token, callers who sign with a key the API
/// takes (FC's with <c>Gateway:AccessKeys</c>, Lambda's with <c>Gateway:InvokeApi:AwsAccessKeys</c>), or, with neither
/// configured, loopback callers (<see cref="LoopbackClient"/>).
/// </summary>
internal static class InvokeApiAccess
{
    private const string BearerPrefix = "Bearer ";

    /// <param name="context">The call.</param>
    /// <param name="settings">The gateway's settings: the API's tokens, the keys whose signatures <paramref name="dialect"/> takes.</param>
    /// <param name="dialect">The API called, which names its kind of signature and its keys.</param>
    /// <param name="now">The gateway's time, for the signature's.</param>
    /// <param name="signed">A signed call's signature, which the endpoint checks over the body once it has read it.</param>
    /// <returns>The refusal, or null when the caller may proceed.</returns>
    public static (Outcome Error, string Message)? Check(
        HttpContext context, GatewaySettings settings, InvokeApiDialect dialect, DateTimeOffset now, out SignedCall? signed)
    {
        signed = null;
        var keys = dialect.SignatureKeys(settings);
        if (keys.Count > 0 && dialect.IsSigned(context.Request))
        {
            return dialect.VerifySignature(context.Request, settings, now, out signed);
        }

        var api = settings.InvokeApi;
        if (api.BearerTokens.Count == 0 && keys.Count == 0)
        {
            return LoopbackClient.IsLoopback(context)
                ? null
                : (Outcome.AccessDenied, "The invocation API accepts only loopback callers until Gateway:InvokeApi:BearerTokens is configured.");
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            // A 401's challenge names a scheme the API takes (RFC 9110 §11.6.1): without tokens, its signature only.
            context.Response.Headers.WWWAuthenticate = api.BearerTokens.Count > 0 ? "Bearer" : dialect.SignatureAlgorithm;
            return (Outcome.Unauthenticated, (keys.Count > 0, api.BearerTokens.Count > 0) switch
            {
                (true, true) => $"{dialect.SigningHint}, or send Authorization: Bearer <token>.",
                (true, false) => $"{dialect.SigningHint}.",
                _ => "Call the invocation API with Authorization: Bearer <token>.",
            });
        }

        if (HasValidToken(context.Request, api))
        {
            return null;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        return (Outcome.Unauthenticated, "The bearer token is not valid for the invocation API.");
    }

    /// <summary>Whether the request carries <c>Authorization: Bearer</c> with one of the configured tokens.</summary>
    public static bool HasValidToken(HttpRequest request, InvokeApiSettings settings)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (settings.BearerTokens.Count == 0 || !authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = Encoding.UTF8.GetBytes(authorization[BearerPrefix.Length..].Trim());
        var matched = false;
        foreach (var token in settings.BearerTokens)
        {
            // Every token is compared, so the time taken does not tell which one came close.
            matched |= CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(token));
        }

        return matched;
    }
}
