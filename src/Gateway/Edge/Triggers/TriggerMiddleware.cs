using System.Security.Cryptography;
using FcGateway.Configuration.Triggers;
using FcGateway.Edge.Errors;
using FcGateway.Edge.HttpTriggers;
using FcGateway.Edge.Requests;
using FcGateway.Edge.Signatures;
using FcGateway.Outcomes;
using Microsoft.AspNetCore.Http.Features;

namespace FcGateway.Edge.Triggers;

/// <summary>
/// Applies the matched route's trigger (<c>Gateway:Triggers:{routeId}</c>) after CORS, in one step with one settings
/// lookup: a method the trigger does not list gets 405 with an <c>Allow</c> header; a request on a path that needs
/// credentials goes on only when <see cref="TriggerAuthenticator"/> accepts them, and otherwise gets 401 AccessDenied
/// with <c>WWW-Authenticate: Bearer</c> (plus <c>error="invalid_token"</c> when credentials were sent but not valid;
/// the body never says why); a <c>function</c> trigger's request goes on only signed with a key of
/// <c>Gateway:AccessKeys</c>, else 403 (<see cref="CheckSignature"/>); a request that goes on to a bearer or JWT trigger
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
    SignatureNonces nonces,
    TimeProvider time)
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

        if (trigger.AuthType == TriggerAuthType.Anonymous)
        {
            return next(context);
        }

        if (trigger.AuthType == TriggerAuthType.Function)
        {
            return CheckSignature(context);
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

    /// <summary>
    /// FC's signature authentication: the request goes on only signed with a key of <c>Gateway:AccessKeys</c>; a signed
    /// body is checked as it is read (<see cref="SignedBodyStream"/>). Refusals are 403, with FC's error code.
    /// </summary>
    private Task CheckSignature(HttpContext context)
    {
        var request = context.Request;
        if (!AcsSignatureV3.IsSigned(request))
        {
            return errors.RefuseAsync(context, Outcome.AccessDenied,
                $"This trigger takes signed requests only: Authorization: {AcsSignatureV3.Algorithm} with a key of Gateway:AccessKeys.");
        }

        var now = time.GetUtcNow();
        if ((AcsSignatureV3.Verify(request, context.GatewaySettings().AccessKeys, now, out var signed) ?? signed!.TakeNonce(nonces, now)) is { } refusal)
        {
            return errors.RefuseAsync(context, refusal.Error, refusal.Message);
        }

        if (signed!.ContentHash is null)
        {
            return next(context);
        }

        // No one reads a request without a body (an event gets none, nothing is forwarded), so its emptiness is judged here.
        if (request.ContentLength == 0 || context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            return signed.CoversHash(SHA256.HashData([]))
                ? next(context)
                : errors.RefuseAsync(context, Outcome.SignatureNotMatch, AcsSignatureV3.BodyMismatch);
        }

        request.Body = new SignedBodyStream(request.Body, signed, request.ContentLength);
        context.Response.RegisterForDispose(request.Body);
        return next(context);
    }

    private async Task RejectMethodAsync(HttpContext context, TriggerSettings trigger)
    {
        var method = context.Request.Method;
        context.Response.Headers.Allow = trigger.AllowHeader;
        await errors.RefuseAsync(context, Outcome.MethodNotAllowed, $"The method {method} is not allowed by this trigger; use {trigger.AllowHeader}.");
    }
}
