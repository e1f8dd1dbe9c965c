using FcGateway.Configuration;
using Microsoft.AspNetCore.Authorization;

namespace FcGateway.Triggers;

/// <summary>
/// The requirement of the <c>FcTrigger</c> policy, and its own handler: met when the trigger asks for no
/// credentials on this path (anonymous, or outside a JWT trigger's scope) or when the <c>FcTrigger</c> scheme
/// accepted the request's credentials.
/// </summary>
internal sealed class TriggerAccessRequirement : AuthorizationHandler<TriggerAccessRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, TriggerAccessRequirement requirement)
    {
        if (context.Resource is HttpContext http
            && (http.Features.Get<TriggerCredentialFeature>() is not null
                || TriggerLookup.IsOpen(http, http.RequestServices.GetRequiredService<GatewaySettingsMonitor>().Current)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
