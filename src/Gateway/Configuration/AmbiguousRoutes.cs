using Yarp.ReverseProxy.Configuration;

namespace FcGateway.Configuration;

/// <summary>
/// Finds routes that nothing tells apart — the same path pattern (compared case-insensitively, as routing does), methods,
/// hosts, headers, query parameters and Order. Routing cannot choose between them, so every request they match would
/// fail (AmbiguousMatchException); YARP's validator checks one route at a time and does not see it.
/// </summary>
internal static class AmbiguousRoutes
{
    /// <summary>One problem for each pair of <paramref name="routes"/> that match the same requests.</summary>
    public static IEnumerable<string> Find(IReadOnlyList<RouteConfig> routes)
    {
        for (var i = 0; i < routes.Count; i++)
        {
            for (var j = i + 1; j < routes.Count; j++)
            {
                if (MatchTheSameRequests(routes[i], routes[j]))
                {
                    yield return $"Routes '{routes[i].RouteId}' and '{routes[j].RouteId}' match the same requests (Path '{routes[i].Match.Path}', "
                        + "and the same Methods, Hosts, Headers, QueryParameters and Order), so routing could choose neither and every such request "
                        + "would fail: change one's Match, or give the one that should win a lower Order.";
                }
            }
        }
    }

    // A route without Match is YARP's validator's to report.
    private static bool MatchTheSameRequests(RouteConfig first, RouteConfig second) =>
        first.Match is { } one && second.Match is { } other
        && (first.Order ?? 0) == (second.Order ?? 0)
        && string.Equals(one.Path, other.Path, StringComparison.OrdinalIgnoreCase)
        && SameSet(one.Methods, other.Methods, StringComparer.OrdinalIgnoreCase)
        && SameSet(one.Hosts, other.Hosts, StringComparer.OrdinalIgnoreCase)
        && SameSet(one.Headers, other.Headers, EqualityComparer<RouteHeader>.Default)
        && SameSet(one.QueryParameters, other.QueryParameters, EqualityComparer<RouteQueryParameter>.Default);

    // An unset list and an empty one both match everything; the order of the entries does not matter.
    private static bool SameSet<T>(IReadOnlyList<T>? first, IReadOnlyList<T>? second, IEqualityComparer<T> comparer) =>
        new HashSet<T>(first ?? [], comparer).SetEquals(second ?? []);
}
