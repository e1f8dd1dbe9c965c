using FcGateway.Configuration.Triggers;
using FcGateway.Edge.Errors;
using FcGateway.Edge.HttpTriggers;
using FcGateway.Edge.Requests;
using FcGateway.Outcomes;

namespace FcGateway.Edge.Triggers;

/// <summary>
/// Applies the matched route's trigger (<c>Gateway:Triggers:{routeId}</c>) after CORS, in one step with one settings
/// lookup: a method the trigger does not list gets 403 with an <c>Allow</c> header; a WebSocket handshake from an origin
/// the trigger's CORS policy does not allow gets 403 (<see cref="WebSocketOrigin"/>); a request on a path that needs
/// credentials goes on only when <see cref="TriggerAuthenticator"/> accepts them, and otherwise gets 401 AccessDenied
/// with <c>WWW-Authenticate: Bearer</c> (plus <c>error="invalid_token"</c> when credentials were sent but not valid;
/// the body never says why); a <c>function</c> or <c>aws_iam</c> trigger's request goes on only with a signature that
/// holds, else 403 (<see cref="TriggerSignatureGate"/>); a request that goes on to a bearer or JWT trigger
/// is rewritten by <see cref="ClaimPassBy"/>.
/// </summary>
/// <remarks>
/// A request to an anonymous trigger costs the lookup and nothing else: no authentication scheme, authorization
/// service or request service scope runs for it.
/// </remarks>
internal sealed class TriggerMiddleware(
    RequestDelegate next,
    TriggerAuthenticator authenticator,
    GatewayErrorWriter errors,
    TriggerSignatureGate signatures)
{
    private const string MissingChallenge = "Bearer";
    private const string InvalidChallenge = "Bearer error=\"invalid_token\"";

    public Task InvokeAsync(HttpContext context)
    {
        if (TriggerLookup.Find(context) is not { } trigger)
        {
            return next(context);
        }

        if (!trigger.AllowsMethod(ExtendedConnect.EffectiveMethod(context)))
        {
            return RejectMethodAsync(context, trigger);
        }

        if (trigger.Cors is { } cors && WebSocketOrigin.IsRefused(context, cors))
        {
            return errors.RefuseAsync(context, Outcome.AccessDenied, "This origin may not open a WebSocket to this trigger.");
        }

        if (trigger.AuthType == TriggerAuthType.Anonymous)
        {
            return next(context);
        }

        if (trigger.AuthType == TriggerAuthType.Function)
        {
            return signatures.CheckFcAsync(context, next);
        }

        if (trigger.AuthType == TriggerAuthType.AwsIam)
        {
            return signatures.CheckAwsAsync(context, next);
        }

        if (trigger.RequiresAuthentication(context.Request.Path, RequestTarget.RawPath(context)))
        {
            return AuthenticateAsync(context, trigger);
        }

        ClaimPassBy.Rewrite(context.Request, trigger, credential: null);
        return next(context);
    }

    private async Task AuthenticateAsync(HttpContext context, TriggerSettings trigger)
    {
        var result = await authenticator.AuthenticateAsync(context, trigger);
        if (result == TriggerAuthenticationResult.Accepted)
        {
            ClaimPassBy.Rewrite(context.Request, trigger, context.Features.Get<TriggerCredentialFeature>());
            await next(context);
            return;
        }

        var invalid = result == TriggerAuthenticationResult.Invalid;
        context.Response.Headers.WWWAuthenticate = invalid ? InvalidChallenge : MissingChallenge;
        await errors.RefuseAsync(context, Outcome.Unauthenticated,
            invalid ? "The credentials are not valid." : "Authentication is required: send a valid token.");
    }

    private async Task RejectMethodAsync(HttpContext context, TriggerSettings trigger)
    {
        var method = context.Request.Method;
        context.Response.Headers.Allow = trigger.AllowHeader;
        await errors.RefuseAsync(context, Outcome.MethodDenied, $"The method {method} is not allowed by this trigger; use {trigger.AllowHeader}.");
    }
}
