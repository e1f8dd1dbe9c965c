using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FcGateway.Triggers;

/// <summary>
/// Registers and maps the per-trigger policies — authentication, allowed methods and CORS — on ASP.NET Core's
/// authentication, authorization and CORS services. <c>FunctionRouteConfigFilter</c> sets the
/// <c>FcTrigger</c> authorization and CORS policies on every function route; what they require is read from
/// <c>Gateway:Triggers</c> at each request.
/// </summary>
internal static class TriggerServiceCollectionExtensions
{
    private const string SuppressAutoDefaultSchemeSwitch = "Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme";

    public static IServiceCollection AddFcTriggers(this IServiceCollection services)
    {
        // Without this, ASP.NET Core makes the only registered scheme the default and the authentication
        // middleware runs it for every request, anonymous triggers and unrouted requests included; it is meant
        // to run only when the trigger policy asks. (The switch is ASP.NET Core's documented opt-out.)
        AppContext.SetSwitch(SuppressAutoDefaultSchemeSwitch, isEnabled: true);
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, TriggerAuthenticationHandler>(TriggerPolicyNames.AuthenticationScheme, configureOptions: null);
        services.AddAuthorizationBuilder()
            .AddPolicy(TriggerPolicyNames.Policy, policy => policy
                .AddAuthenticationSchemes(TriggerPolicyNames.AuthenticationScheme)
                .AddRequirements(new TriggerAccessRequirement()));
        services.Replace(ServiceDescriptor.Singleton<IPolicyEvaluator, TriggerPolicyEvaluator>());
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, TriggerAuthorizationResultHandler>();

        services.AddCors();
        services.Replace(ServiceDescriptor.Singleton<ICorsPolicyProvider, TriggerCorsPolicyProvider>());
        return services;
    }

    /// <summary>
    /// Runs after routing has chosen the route, before the proxy pipeline: CORS (a preflight is answered here),
    /// the allowed methods, authentication and authorization, then the request rewrite for the function.
    /// </summary>
    /// <remarks>
    /// <c>UseAuthentication</c> is called here so that ASP.NET Core does not add its own at the start of the
    /// pipeline, before routing, where no trigger is known. With no default scheme it authenticates nothing by
    /// itself; the <c>FcTrigger</c> policy runs the scheme.
    /// </remarks>
    public static WebApplication UseFcTriggers(this WebApplication app)
    {
        app.UseCors();
        app.UseMiddleware<TriggerMethodsMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<ClaimPassByMiddleware>();
        return app;
    }
}
