using Yarp.ReverseProxy.Configuration;

namespace FcGateway.Configuration;

/// <summary>
/// Reads the function binding from a YARP route's <c>Metadata</c>: <c>FunctionName</c> (required) and
/// <c>TriggerMode</c> (<c>event</c>, the default, or <c>web</c>).
/// </summary>
public static class FunctionRouteMetadata
{
    /// <summary>Metadata key naming the function a route triggers.</summary>
    public const string FunctionNameKey = "FunctionName";

    /// <summary>Metadata key selecting the trigger mode.</summary>
    public const string TriggerModeKey = "TriggerMode";

    /// <summary>The function name of <paramref name="route"/>, or null when it has none.</summary>
    public static string? GetFunctionName(RouteConfig route) =>
        route.Metadata is { } metadata && metadata.TryGetValue(FunctionNameKey, out var name) && !string.IsNullOrWhiteSpace(name)
            ? name
            : null;

    /// <summary>
    /// Lists what is wrong with the route's function binding; empty when it is valid. A route without a cluster is
    /// valid here: it triggers a function that pulls its invocations, which the gateway's validator checks with the
    /// function's settings.
    /// </summary>
    public static IEnumerable<string> Validate(RouteConfig route, ClusterConfig? cluster)
    {
        if (GetFunctionName(route) is null)
        {
            yield return $"Route '{route.RouteId}' has no function: set ReverseProxy:Routes:{route.RouteId}:Metadata:{FunctionNameKey} to the name of the function it triggers.";
        }

        if (route.Metadata is { } metadata && metadata.TryGetValue(TriggerModeKey, out var mode) && !TryParseTriggerMode(mode, out _))
        {
            yield return $"Route '{route.RouteId}' has TriggerMode '{mode}', which is not supported: use 'event' or 'web'.";
        }

        if (cluster is null && route.ClusterId is not null)
        {
            yield return $"Route '{route.RouteId}' refers to cluster '{route.ClusterId}', which does not exist: add it under ReverseProxy:Clusters or fix the route's ClusterId.";
        }
    }

    /// <summary>The trigger mode of <paramref name="route"/>; routes are validated, so an unknown mode never reaches here.</summary>
    public static TriggerMode GetTriggerMode(RouteConfig route) =>
        route.Metadata is { } metadata && metadata.TryGetValue(TriggerModeKey, out var text) && TryParseTriggerMode(text, out var mode)
            ? mode
            : TriggerMode.Event;

    /// <summary>Parses a trigger mode name, case-insensitively; an empty value means <see cref="TriggerMode.Event"/>.</summary>
    public static bool TryParseTriggerMode(string? text, out TriggerMode mode)
    {
        mode = TriggerMode.Event;
        if (string.IsNullOrWhiteSpace(text) || string.Equals(text.Trim(), "event", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.Equals(text.Trim(), "web", StringComparison.OrdinalIgnoreCase))
        {
            mode = TriggerMode.Web;
            return true;
        }

        return false;
    }
}
