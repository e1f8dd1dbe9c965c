using FcGateway.Configuration;
using FcGateway.Configuration.Triggers;
using FcGateway.Outcomes;
using Yarp.ReverseProxy.Configuration;

namespace FcGateway.Edge;

/// <summary>
/// What the edge resolves once per request, as YARP's <c>IReverseProxyFeature</c> does for a proxied request: the
/// settings snapshot the whole request runs under (a reload in the middle of a request never mixes
/// two snapshots) and, once routed, the trigger. Every step after the request middleware reads it instead of the
/// settings monitor.
/// </summary>
/// <remarks>The request id is <see cref="HttpContext.TraceIdentifier"/>, set by the same middleware.</remarks>
internal sealed class GatewayRequestFeature(GatewaySettingsMonitor settingsMonitor)
{
    /// <summary>
    /// The <c>Gateway</c> settings in force when the request arrived, or, once routed to a route a reload added since
    /// (<see cref="RoutedTo"/>), those in force when it was routed.
    /// </summary>
    public GatewaySettings Settings { get; private set; } = settingsMonitor.Current;

    /// <summary>
    /// The scan of the request's headers on arrival: whether any name holds an underscore or is an <c>x-fc-*</c> name,
    /// for the steps that remove such headers.
    /// </summary>
    public Requests.RequestHeaderScan ArrivedHeaders { get; set; }

    /// <summary>The trigger of the route the request was routed to, once <see cref="TriggerResolved"/>; null for no function route.</summary>
    public TriggerSettings? Trigger { get; set; }

    /// <summary>Whether <see cref="Trigger"/> has been looked up.</summary>
    public bool TriggerResolved { get; set; }

    /// <summary>
    /// Whether <see cref="Errors.GatewayErrorWriter"/> answered the request with an error, which may come before its body
    /// was read: the request middleware reads the rest of it once the request is done with
    /// (<see cref="Requests.UnreadBodyAfterAnswer"/>), its instance given back and its outcome recorded.
    /// </summary>
    public bool AnsweredWithError { get; set; }

    /// <summary>
    /// Whether reading the request body stopped part way — Kestrel refused it (malformed, too slow, past its limit:
    /// <see cref="Requests.RequestBodyFailure.StopsTheBody"/>), or a web function's <c>Timeout</c> passed while it
    /// arrived: nothing more is read on an HTTP/1.x connection, which closes after the answer, and the answer says so.
    /// </summary>
    public bool BodyStopped { get; set; }

    /// <summary>
    /// The error the limits of the settings <see cref="RoutedTo"/> gave the request refuse it with, when these are not the
    /// settings it took on arrival; null otherwise. Answered as soon as routing is done, before anything reads the request,
    /// as the limits it was held to on arrival are.
    /// </summary>
    public (Outcome Error, string Message)? RoutedLimitsRefusal { get; set; }

    /// <summary>
    /// Called once routing has matched <paramref name="route"/>, before anything reads the route's trigger or function.
    /// Routing runs after the request took its snapshot, against the routes YARP has then: a reload put in force in
    /// between can route the request to a route its snapshot has no trigger or function entry for, which would run it
    /// anonymous, or with the default function settings. Such a request takes the settings in force now, which are
    /// judged with that route (and keep, until YARP has switched, the triggers of the routes the reload removes). One
    /// routed to a route that the edit YARP switches or last switched to adds or changes takes that edit's settings.
    /// </summary>
    public void RoutedTo(RouteConfig route)
    {
        if (settingsMonitor.SettingsServing(route, Settings) is { } edited)
        {
            // A route of the edit (served a moment before YARP reports it applied, or since): it goes with the edit's settings.
            Settings = edited;
            return;
        }

        var current = settingsMonitor.Current;
        if (ReferenceEquals(current, Settings))
        {
            return;
        }

        var function = FunctionRouteMetadata.GetFunctionName(route) ?? route.RouteId;
        if (IsNew(Settings.Triggers, current.Triggers, route.RouteId) || IsNew(Settings.Functions, current.Functions, function))
        {
            Settings = current;
        }
    }

    private static bool IsNew<T>(IReadOnlyDictionary<string, T> taken, IReadOnlyDictionary<string, T> inForce, string key) =>
        !taken.ContainsKey(key) && inForce.ContainsKey(key);
}
