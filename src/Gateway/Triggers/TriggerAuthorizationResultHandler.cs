using FcGateway.Diagnostics;
using FcGateway.Errors;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Net.Http.Headers;

namespace FcGateway.Triggers;

/// <summary>
/// Answers a request the trigger policy refused with the FC error body: 401 AccessDenied with
/// <c>WWW-Authenticate: Bearer</c> (plus <c>error="invalid_token"</c> when credentials were sent but not valid),
/// or 403 AccessDenied when authenticated credentials are not enough. The body never says why.
/// </summary>
internal sealed class TriggerAuthorizationResultHandler(GatewayErrorWriter errors, InvocationTelemetry telemetry) : IAuthorizationMiddlewareResultHandler
{
    private const string MissingChallenge = "Bearer";
    private const string InvalidChallenge = "Bearer error=\"invalid_token\"";

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult) =>
        authorizeResult.Succeeded ? next(context) : RejectAsync(context, authorizeResult.Forbidden);

    private async Task RejectAsync(HttpContext context, bool forbidden)
    {
        if (forbidden)
        {
            await errors.WriteAsync(context, GatewayError.AccessDenied);
        }
        else
        {
            var invalid = context.Features.Get<TriggerAuthenticationFailure>() is not null;
            ResponseHeadersOnStart.Set(context, HeaderNames.WWWAuthenticate, invalid ? InvalidChallenge : MissingChallenge);
            await errors.WriteAsync(context, GatewayError.Unauthenticated,
                invalid ? "The credentials are not valid." : "Authentication is required: send a valid token.");
        }

        telemetry.RecordUnroutedRequest(context, InvocationOutcome.Rejected);
    }
}
