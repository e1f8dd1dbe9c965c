using System.Text.Json;
using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Dispatch.Pull;
using FcGateway.Edge.InvokeApi;
using FcGateway.Edge.Requests;
using FcGateway.Http;
using Yarp.ReverseProxy;

namespace FcGateway.Edge.Health;

/// <summary>
/// The gateway's own health: liveness (the process answers) and readiness (the configuration in force is
/// valid — an invalid one is never applied — and every function has at least one available instance).
/// Mapped ahead of every function route, so no route can shadow them. The per-function counts name every function,
/// so they are shown only to the callers <see cref="ReadinessDetail"/> allows.
/// </summary>
/// <remarks>
/// A function whose workers pull counts the workers polling its address now or running one of its invocations; one whose
/// processes the gateway launches counts its ready instances, and is ready even with none, since it starts them on demand.
/// </remarks>
internal sealed class HealthEndpoints(IProxyStateLookup proxyState, RuntimeApiDirectory runtimeApi, LaunchedInstancePools launched)
{
    public const string LivenessPath = "/healthz";
    public const string ReadinessPath = "/readyz";

    /// <summary>GET, and HEAD as RFC 9110 §9.1 asks of every resource that answers GET (probes use either).</summary>
    public static readonly string[] Methods = [HttpMethods.Get, HttpMethods.Head];

    public static Task LiveAsync(HttpContext context) => WriteAsync(context, StatusCodes.Status200OK, writer => writer.WriteString("status", "alive"));

    public Task ReadyAsync(HttpContext context)
    {
        var settings = context.GatewaySettings();
        var instances = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var startOnDemand = new HashSet<string>(StringComparer.Ordinal);
        foreach (var route in proxyState.GetRoutes())
        {
            if (FunctionRouteMetadata.GetFunctionName(route.Config) is { } function)
            {
                var available = settings.GetFunction(function) switch
                {
                    { RuntimeApi: null } => route.Cluster?.DestinationsState.AvailableDestinations.Count ?? 0,
                    { Launch: null } => runtimeApi.MailboxOf(function).Workers,
                    _ => launched.For(function).Ready.Count,
                };
                instances[function] = Math.Max(instances.GetValueOrDefault(function), available);
                if (settings.GetFunction(function) is { RuntimeApi: not null, Launch: not null })
                {
                    startOnDemand.Add(function);
                }
            }
        }

        var ready = instances.Count > 0 && instances.All(function => function.Value > 0 || startOnDemand.Contains(function.Key));
        var detailed = ShowsDetail(context, settings);
        return WriteAsync(context, ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, writer =>
        {
            writer.WriteString("status", ready ? "ready" : "not ready");
            if (!detailed)
            {
                return;
            }

            writer.WriteStartObject("availableInstances");
            foreach (var (function, count) in instances)
            {
                writer.WriteNumber(function, count);
            }

            writer.WriteEndObject();
        });
    }

    private static bool ShowsDetail(HttpContext context, GatewaySettings settings) => settings.ReadinessDetail switch
    {
        ReadinessDetail.Everyone => true,
        ReadinessDetail.Nobody => false,
        _ => LoopbackClient.IsLoopback(context) || InvokeApiAccess.HasValidToken(context.Request, settings.InvokeApi),
    };

    private static async Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> writeFields)
    {
        using var body = new PooledBuffer(256);
        using (var writer = new Utf8JsonWriter(body, GatewayJson.WriterOptions))
        {
            writer.WriteStartObject();
            writeFields(writer);
            writer.WriteEndObject();
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = body.WrittenCount;
        await context.Response.Body.WriteAsync(body.WrittenMemory, context.RequestAborted);
    }
}
