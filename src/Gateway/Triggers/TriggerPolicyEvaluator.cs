using FcGateway.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace FcGateway.Triggers;

/// <summary>
/// ASP.NET Core's policy evaluator with a fast path for the hot case: a request whose trigger asks for no
/// credentials meets <see cref="TriggerAccessRequirement"/> by definition, so it gets completed, cached results
/// instead of a run of the authentication scheme and the authorization service (which allocate per request).
/// Every other request, and every other policy, is evaluated by ASP.NET Core's <see cref="PolicyEvaluator"/>.
/// </summary>
internal sealed class TriggerPolicyEvaluator(IAuthorizationService authorization, GatewaySettingsMonitor settings) : IPolicyEvaluator
{
    private static readonly Task<AuthenticateResult> NotAuthenticated = Task.FromResult(AuthenticateResult.NoResult());
    private static readonly Task<PolicyAuthorizationResult> Authorized = Task.FromResult(PolicyAuthorizationResult.Success());

    private readonly PolicyEvaluator _inner = new(authorization);

    public Task<AuthenticateResult> AuthenticateAsync(AuthorizationPolicy policy, HttpContext context) =>
        IsOpenTriggerRequest(policy, context) ? NotAuthenticated : _inner.AuthenticateAsync(policy, context);

    public Task<PolicyAuthorizationResult> AuthorizeAsync(AuthorizationPolicy policy, AuthenticateResult authenticationResult, HttpContext context, object? resource) =>
        IsOpenTriggerRequest(policy, context) ? Authorized : _inner.AuthorizeAsync(policy, authenticationResult, context, resource);

    private bool IsOpenTriggerRequest(AuthorizationPolicy policy, HttpContext context) =>
        policy.Requirements is [TriggerAccessRequirement] && TriggerLookup.IsOpen(context, settings.Current);
}
