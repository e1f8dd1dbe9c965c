namespace FcGateway.Triggers;

/// <summary>Registers and maps the per-trigger policies: authentication, allowed methods and CORS.</summary>
internal static class TriggerServiceCollectionExtensions
{
    public static IServiceCollection AddFcTriggers(this IServiceCollection services) => services;

    /// <summary>Runs after routing has chosen the route, before the proxy pipeline.</summary>
    public static WebApplication UseFcTriggers(this WebApplication app) => app;
}
