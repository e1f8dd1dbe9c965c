using FcGateway.Configuration.Triggers;
using Microsoft.AspNetCore.Cors.Infrastructure;

namespace FcGateway.Edge.Triggers;

/// <summary>
/// Gives ASP.NET Core's CORS middleware the policy of the matched route's trigger, read from the settings in
/// force at each request (the policy object itself is built once per settings snapshot). A trigger without
/// <c>Cors</c> has no policy: the request goes on untouched and the function answers preflights itself.
/// </summary>
internal sealed class TriggerCorsPolicyProvider : ICorsPolicyProvider
{
    private static readonly Task<CorsPolicy?> NoPolicy = Task.FromResult<CorsPolicy?>(null);

    /// <summary>
    /// Answers YARP's configuration validation, which checks the policy name exists by asking with a bare
    /// context that matched no route. It allows nothing.
    /// </summary>
    private static readonly Task<CorsPolicy?> ValidationPolicy = Task.FromResult<CorsPolicy?>(new CorsPolicy());

    public Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
    {
        if (!string.Equals(policyName, TriggerPolicyNames.Cors, StringComparison.Ordinal))
        {
            return NoPolicy;
        }

        return context.GetEndpoint() is null || context.Features.Get<GatewayRequestFeature>() is null
            ? ValidationPolicy
            : TriggerLookup.Find(context)?.CorsPolicyTask ?? NoPolicy;
    }
}
