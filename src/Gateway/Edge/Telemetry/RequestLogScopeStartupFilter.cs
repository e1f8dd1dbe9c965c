namespace FcGateway.Edge.Telemetry;

/// <summary>Puts <see cref="RequestLogScopeMiddleware"/> in front of the application's pipeline.</summary>
internal sealed class RequestLogScopeStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<RequestLogScopeMiddleware>();
        next(app);
    };
}
