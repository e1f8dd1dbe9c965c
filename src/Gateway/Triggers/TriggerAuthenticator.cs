using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using FcGateway.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace FcGateway.Triggers;

/// <summary>
/// The <c>FcTrigger</c> authentication scheme: checks the credentials the matched route's trigger asks for — one
/// of its bearer tokens, or a JWT signed by a key of its JWKS — and records where the accepted token was. The
/// reason of a failure is logged under the request id; it never reaches the client.
/// </summary>
internal sealed partial class TriggerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    GatewaySettingsMonitor settings)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    private static readonly JsonWebTokenHandler TokenHandler = new();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (TriggerLookup.Find(Context, settings.Current) is not { } trigger || !trigger.RequiresAuthentication(Request.Path))
        {
            return AuthenticateResult.NoResult();
        }

        return trigger.AuthType == TriggerAuthType.Bearer
            ? AuthenticateBearer(trigger)
            : await AuthenticateJwtAsync(trigger.Jwt!);
    }

    private AuthenticateResult AuthenticateBearer(TriggerSettings trigger)
    {
        var source = TokenSource.DefaultLookup[0];
        if (source.Find(Request) is not { } token)
        {
            return Missing("no bearer token in the Authorization header");
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
            ? Accept(source, new ClaimsIdentity(Scheme.Name))
            : Invalid("the bearer token is not one of the trigger's tokens");
    }

    private async Task<AuthenticateResult> AuthenticateJwtAsync(JwtTriggerSettings jwt)
    {
        string? reason = null;
        foreach (var source in jwt.TokenLookup)
        {
            if (source.Find(Request) is not { } token)
            {
                continue;
            }

            var result = await TokenHandler.ValidateTokenAsync(token, jwt.ValidationParameters);
            if (result.IsValid)
            {
                return Accept(source, result.ClaimsIdentity);
            }

            reason = $"the token from {source.Location.ToString().ToLowerInvariant()} '{source.Name}' is not valid: {result.Exception?.Message}";
        }

        return reason is null ? Missing("no token in any TokenLookup source") : Invalid(reason);
    }

    private AuthenticateResult Accept(TokenSource source, ClaimsIdentity identity)
    {
        var principal = new ClaimsPrincipal(identity);
        Context.Features.Set(new TriggerCredentialFeature(source, principal));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    private AuthenticateResult Missing(string reason)
    {
        Log.AuthenticationFailed(Logger, Context.TraceIdentifier, TriggerLookup.RouteId(Context), reason);
        return AuthenticateResult.NoResult();
    }

    private AuthenticateResult Invalid(string reason)
    {
        Log.AuthenticationFailed(Logger, Context.TraceIdentifier, TriggerLookup.RouteId(Context), reason);
        Context.Features.Set(TriggerAuthenticationFailure.InvalidCredentials);
        return AuthenticateResult.Fail("The credentials are not valid.");
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.TriggerAuthenticationFailed, LogLevel.Information, "Request {RequestId} to trigger '{RouteId}' not authenticated: {Reason}.")]
        public static partial void AuthenticationFailed(ILogger logger, string requestId, string routeId, string reason);
    }
}
