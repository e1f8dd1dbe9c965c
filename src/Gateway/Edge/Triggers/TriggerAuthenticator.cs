using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using FcGateway.Configuration.Triggers;
using Microsoft.IdentityModel.JsonWebTokens;

namespace FcGateway.Edge.Triggers;

/// <summary>
/// Checks the credentials a trigger asks for — one of its bearer tokens, or a JWT signed by a key of its JWKS —
/// and, when one is accepted, records where it was and the identity it carried (<see cref="TriggerCredentialFeature"/>,
/// and <see cref="HttpContext.User"/>). The reason of a failure is logged under the request id; it never reaches the client.
/// </summary>
internal sealed partial class TriggerAuthenticator(ILogger<TriggerAuthenticator> logger)
{
    /// <summary>The authentication type of the identities this authenticator creates.</summary>
    public const string AuthenticationType = "FcTrigger";

    private static readonly JsonWebTokenHandler TokenHandler = new();

    public ValueTask<TriggerAuthenticationResult> AuthenticateAsync(HttpContext context, TriggerSettings trigger) =>
        trigger.AuthType == TriggerAuthType.Bearer
            ? ValueTask.FromResult(AuthenticateBearer(context, trigger))
            : AuthenticateJwtAsync(context, trigger.Jwt!);

    private TriggerAuthenticationResult AuthenticateBearer(HttpContext context, TriggerSettings trigger)
    {
        var source = TokenSource.DefaultLookup[0];
        if (source.Find(context.Request) is not { } token)
        {
            return Missing(context, "no bearer token in the Authorization header");
        }

        Span<byte> presented = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(token), presented);
        var matched = false;
        foreach (var hash in trigger.BearerTokenHashes)
        {
            // Hashing first makes the comparison independent of the tokens' lengths; every token is compared.
            matched |= CryptographicOperations.FixedTimeEquals(presented, hash);
        }

        return matched
            ? Accept(context, source, new ClaimsIdentity(AuthenticationType))
            : Invalid(context, "the bearer token is not one of the trigger's tokens");
    }

    private async ValueTask<TriggerAuthenticationResult> AuthenticateJwtAsync(HttpContext context, JwtTriggerSettings jwt)
    {
        string? reason = null;
        foreach (var source in jwt.TokenLookup)
        {
            foreach (var token in source.FindAll(context.Request))
            {
                if (JwtCompactFormat.FindViolation(token) is { } violation)
                {
                    reason = InvalidTokenReason(source, violation);
                    continue;
                }

                var result = await TokenHandler.ValidateTokenAsync(token, jwt.ValidationParameters);
                if (result.IsValid)
                {
                    return Accept(context, source, result.ClaimsIdentity);
                }

                reason = InvalidTokenReason(source, JwtRejectionReason.Describe(result.Exception));
            }
        }

        return reason is null ? Missing(context, "no token in any TokenLookup source") : Invalid(context, reason);
    }

    private static string InvalidTokenReason(TokenSource source, string why) =>
        $"the token from {source.Location.ToString().ToLowerInvariant()} '{source.Name}' is not valid: {why}";

    private static TriggerAuthenticationResult Accept(HttpContext context, TokenSource source, ClaimsIdentity identity)
    {
        var principal = new ClaimsPrincipal(identity);
        context.User = principal;
        context.Features.Set(new TriggerCredentialFeature(source, principal));
        return TriggerAuthenticationResult.Accepted;
    }

    private TriggerAuthenticationResult Missing(HttpContext context, string reason)
    {
        Log.AuthenticationFailed(logger, context.TraceIdentifier, TriggerLookup.RouteId(context), reason);
        return TriggerAuthenticationResult.Missing;
    }

    private TriggerAuthenticationResult Invalid(HttpContext context, string reason)
    {
        Log.AuthenticationFailed(logger, context.TraceIdentifier, TriggerLookup.RouteId(context), reason);
        return TriggerAuthenticationResult.Invalid;
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.TriggerAuthenticationFailed, LogLevel.Debug, "Request {RequestId} to trigger '{RouteId}' not authenticated: {Reason}.")]
        public static partial void AuthenticationFailed(ILogger logger, string requestId, string routeId, string reason);
    }
}
