using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FcGateway.Edge.Triggers;

/// <summary>
/// Registers and maps the per-trigger policies — CORS, allowed methods and authentication — read from
/// <c>Gateway:Triggers</c> at each request. CORS is ASP.NET Core's, reached through the <c>FcTrigger</c> CORS policy
/// <c>FunctionRouteConfigFilter</c> sets on every function route; methods, credentials and the claim pass-by are
/// applied by <see cref="TriggerMiddleware"/>.
/// </summary>
internal static class TriggerServiceCollectionExtensions
{
    public static IServiceCollection AddFcTriggers(this IServiceCollection services)
    {
        services.AddSingleton<TriggerAuthenticator>();
        services.AddSingleton<TriggerSignatureGate>();
        services.AddCors();
        services.Replace(ServiceDescriptor.Singleton<ICorsPolicyProvider, TriggerCorsPolicyProvider>());
        return services;
    }

    /// <summary>
    /// Runs the trigger's CORS right after routing has chosen the route (a preflight is answered here), so every refusal
    /// after it — the client <c>x-fc-*</c> rule's as well as the trigger's own — carries the CORS headers.
    /// </summary>
    public static WebApplication UseFcTriggerCors(this WebApplication app)
    {
        app.UseMiddleware<TriggerCorsMiddleware>();
        return app;
    }

    /// <summary>Runs before the proxy pipeline: the allowed methods, the credentials and the request rewrite for the function.</summary>
    public static WebApplication UseFcTriggers(this WebApplication app)
    {
        app.UseMiddleware<TriggerMiddleware>();
        return app;
    }
}
