using FcGateway.Edge.Telemetry;
using FcGateway.Outcomes;
using Microsoft.AspNetCore.Cors.Infrastructure;

namespace FcGateway.Edge.Triggers;

/// <summary>
/// ASP.NET Core's CORS middleware, plus the access line of every preflight it answers itself: such a request ends
/// inside it, before any step that writes one.
/// </summary>
internal sealed class TriggerCorsMiddleware
{
    private readonly CorsMiddleware _cors;
    private readonly ICorsPolicyProvider _policies;
    private readonly InvocationTelemetry _telemetry;

    public TriggerCorsMiddleware(
        RequestDelegate next, ICorsService corsService, ICorsPolicyProvider policies, InvocationTelemetry telemetry, ILoggerFactory loggerFactory)
    {
        _cors = new CorsMiddleware(context => PassOn(context, next), corsService, loggerFactory);
        _policies = policies;
        _telemetry = telemetry;
    }

    public Task InvokeAsync(HttpContext context) =>
        HttpMethods.IsOptions(context.Request.Method) ? InvokeOptionsAsync(context) : _cors.Invoke(context, _policies);

    private async Task InvokeOptionsAsync(HttpContext context)
    {
        // Only a preflight can end inside the CORS middleware, and only an OPTIONS request can be one.
        var passedOn = new PassedOnFeature();
        context.Features.Set(passedOn);
        await _cors.Invoke(context, _policies);
        if (!passedOn.Value)
        {
            _telemetry.RecordUnroutedRequest(context, Outcome.Success);
        }
    }

    private static Task PassOn(HttpContext context, RequestDelegate next)
    {
        if (HttpMethods.IsOptions(context.Request.Method) && context.Features.Get<PassedOnFeature>() is { } passedOn)
        {
            passedOn.Value = true;
        }

        return next(context);
    }

    /// <summary>Set on an OPTIONS request: whether the CORS middleware let it go on.</summary>
    private sealed class PassedOnFeature
    {
        public bool Value { get; set; }
    }
}
