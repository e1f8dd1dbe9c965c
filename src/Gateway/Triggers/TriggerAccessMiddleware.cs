using FcGateway.Configuration;
using FcGateway.Diagnostics;
using FcGateway.Errors;
using Microsoft.Net.Http.Headers;

namespace FcGateway.Triggers;

/// <summary>
/// Lets a request through when its trigger asks for no credentials on its path (anonymous, or outside a JWT
/// trigger's scope), or when <see cref="TriggerAuthenticator"/> accepts the credentials it sent. Otherwise it
/// answers 401 AccessDenied with <c>WWW-Authenticate: Bearer</c> (plus <c>error="invalid_token"</c> when
/// credentials were sent but not valid); the body never says why.
/// </summary>
/// <remarks>
/// The open case costs a settings lookup and nothing else: no authentication scheme, authorization service or
/// request service scope runs for it.
/// </remarks>
internal sealed class TriggerAccessMiddleware(
    RequestDelegate next,
    GatewaySettingsMonitor settings,
    TriggerAuthenticator authenticator,
    GatewayErrorWriter errors,
    InvocationTelemetry telemetry)
{
    private const string MissingChallenge = "Bearer";
    private const string InvalidChallenge = "Bearer error=\"invalid_token\"";

    public Task InvokeAsync(HttpContext context) =>
        TriggerLookup.Find(context, settings.Current) is { } trigger && trigger.RequiresAuthentication(context.Request.Path)
            ? AuthenticateAsync(context, trigger)
            : next(context);

    private async Task AuthenticateAsync(HttpContext context, TriggerSettings trigger)
    {
        var result = await authenticator.AuthenticateAsync(context, trigger);
        if (result == TriggerAuthenticationResult.Accepted)
        {
            await next(context);
            return;
        }

        var invalid = result == TriggerAuthenticationResult.Invalid;
        ResponseHeadersOnStart.Set(context, HeaderNames.WWWAuthenticate, invalid ? InvalidChallenge : MissingChallenge);
        await errors.WriteAsync(context, GatewayError.Unauthenticated,
            invalid ? "The credentials are not valid." : "Authentication is required: send a valid token.");
        telemetry.RecordUnroutedRequest(context, InvocationOutcome.Rejected);
    }
}
