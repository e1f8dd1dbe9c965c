using FcGateway.Edge.Errors;
using FcGateway.Edge.Telemetry;
using FcGateway.Http;
using FcGateway.Outcomes;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace FcGateway.Edge.Triggers;

/// <summary>
/// ASP.NET Core's CORS middleware, plus the access line of every preflight it answers itself: such a request ends
/// inside it, before any step that writes one. On a trigger with a CORS policy the gateway owns the CORS response
/// headers: every <c>Access-Control-*</c> header the function (or anything after this step) set is removed as the
/// response starts, so only those the policy produced reach the client. Every response of such a trigger — preflight or
/// not, allowed origin, refused one or none — carries <c>Vary: Origin</c>, since its CORS headers depend on the origin:
/// a cache must not answer one origin with the response it stored for another (Fetch, "CORS protocol and HTTP caches").
/// ASP.NET Core adds it only to an allowed origin's response when several origins are listed. The first step after
/// routing, it first refuses a request that the limits of the settings routing gave it refuse, as the request middleware
/// refuses one on arrival: before CORS, without its headers (<see cref="GatewayRequestFeature.RoutedLimitsRefusal"/>).
/// </summary>
internal sealed class TriggerCorsMiddleware
{
    private const string CorsHeaderPrefix = "Access-Control-";
    private const string OriginHeader = "Origin";

    private readonly CorsMiddleware _cors;
    private readonly ICorsPolicyProvider _policies;
    private readonly InvocationTelemetry _telemetry;
    private readonly GatewayErrorWriter _errors;

    public TriggerCorsMiddleware(
        RequestDelegate next,
        ICorsService corsService,
        ICorsPolicyProvider policies,
        InvocationTelemetry telemetry,
        GatewayErrorWriter errors,
        ILoggerFactory loggerFactory)
    {
        _cors = new CorsMiddleware(context => PassOn(context, next), corsService, loggerFactory);
        _policies = policies;
        _telemetry = telemetry;
        _errors = errors;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var request = TriggerLookup.Routed(context);
        if (request.RoutedLimitsRefusal is { } refusal)
        {
            return _errors.RefuseAsync(context, refusal.Error, refusal.Message);
        }

        if (request.Trigger?.Cors is not null)
        {
            // Registered before the CORS middleware's own callback, so it runs after it: the Vary it may have added is seen.
            context.Response.OnStarting(VaryByOrigin, context);
        }

        return HttpMethods.IsOptions(context.Request.Method) ? InvokeOptionsAsync(context) : _cors.Invoke(context, _policies);
    }

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

        if (TriggerLookup.Find(context)?.Cors is not null)
        {
            // Starting callbacks run in reverse order of registration: this one, registered after the CORS middleware's,
            // runs before it, so the policy's headers are added to a response already cleared of the function's.
            context.Response.OnStarting(RemoveCorsHeaders, context);
        }

        return next(context);
    }

    private static Task RemoveCorsHeaders(object state)
    {
        HeaderRemoval.RemoveWhere(((HttpContext)state).Response.Headers, static name => name.StartsWith(CorsHeaderPrefix, StringComparison.OrdinalIgnoreCase));
        return Task.CompletedTask;
    }

    private static Task VaryByOrigin(object state)
    {
        var headers = ((HttpContext)state).Response.Headers;
        if (!VariesByOrigin(headers.Vary))
        {
            headers.Append(HeaderNames.Vary, OriginHeader);
        }

        return Task.CompletedTask;
    }

    private static bool VariesByOrigin(StringValues vary)
    {
        foreach (var value in vary)
        {
            foreach (var name in (value ?? "").Split(',', StringSplitOptions.TrimEntries))
            {
                if (name.Equals(OriginHeader, StringComparison.OrdinalIgnoreCase) || name == "*")
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Set on an OPTIONS request: whether the CORS middleware let it go on.</summary>
    private sealed class PassedOnFeature
    {
        public bool Value { get; set; }
    }
}
