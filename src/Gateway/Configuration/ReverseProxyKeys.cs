using System.Security.Authentication;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace FcGateway.Configuration;

/// <summary>
/// Every key YARP reads from the <c>ReverseProxy</c> section (its <c>ConfigurationConfigProvider</c>), at every depth.
/// YARP ignores any other key, so a typo (<c>Match:Pathh</c>, <c>Destinations:d1:Adress</c>,
/// <c>HealthCheck:Active:Enabld</c>) would silently fall back to a default, and it skips a single value where a list
/// belongs (<c>"Methods": "GET"</c> would match every method): both are problems here, named by their key path, as in the
/// <c>Gateway</c> section. <c>Metadata</c> keys and each transform's keys are free (YARP's transform validation judges
/// the transforms).
/// </summary>
internal static class ReverseProxyKeys
{
    private static readonly ReverseProxyLevel RouteMatchEntry = new ReverseProxyLevel()
        .Value(nameof(RouteHeader.Name))
        .List(nameof(RouteHeader.Values))
        .Value(nameof(RouteHeader.Mode), ReverseProxyValue.OneOf<HeaderMatchMode>())
        .Value(nameof(RouteHeader.IsCaseSensitive), ReverseProxyValue.Boolean);

    private static readonly ReverseProxyLevel RouteQueryEntry = new ReverseProxyLevel()
        .Value(nameof(RouteQueryParameter.Name))
        .List(nameof(RouteQueryParameter.Values))
        .Value(nameof(RouteQueryParameter.Mode), ReverseProxyValue.OneOf<QueryParameterMatchMode>())
        .Value(nameof(RouteQueryParameter.IsCaseSensitive), ReverseProxyValue.Boolean);

    private static readonly ReverseProxyLevel Match = new ReverseProxyLevel()
        .List(nameof(RouteMatch.Methods))
        .List(nameof(RouteMatch.Hosts))
        .Value(nameof(RouteMatch.Path))
        .SectionList(nameof(RouteMatch.Headers), RouteMatchEntry)
        .SectionList(nameof(RouteMatch.QueryParameters), RouteQueryEntry);

    private static readonly ReverseProxyLevel Route = new ReverseProxyLevel()
        .Value(nameof(RouteConfig.ClusterId))
        .Value(nameof(RouteConfig.Order), ReverseProxyValue.Int32)
        .Value(nameof(RouteConfig.MaxRequestBodySize), ReverseProxyValue.Int64)
        .Value(nameof(RouteConfig.AuthorizationPolicy))
        .Value(nameof(RouteConfig.RateLimiterPolicy))
        .Value(nameof(RouteConfig.OutputCachePolicy))
        .Value(nameof(RouteConfig.TimeoutPolicy))
        .Value(nameof(RouteConfig.Timeout), ReverseProxyValue.Duration)
        .Value(nameof(RouteConfig.CorsPolicy))
        .Section(nameof(RouteConfig.Match), Match)
        .ValuesByName(nameof(RouteConfig.Metadata))
        .SectionList(nameof(RouteConfig.Transforms));

    private static readonly ReverseProxyLevel Cookie = new ReverseProxyLevel()
        .Value(nameof(SessionAffinityCookieConfig.Path))
        .Value(nameof(SessionAffinityCookieConfig.Domain))
        .Value(nameof(SessionAffinityCookieConfig.HttpOnly), ReverseProxyValue.Boolean)
        .Value(nameof(SessionAffinityCookieConfig.SecurePolicy), ReverseProxyValue.OneOf<CookieSecurePolicy>())
        .Value(nameof(SessionAffinityCookieConfig.SameSite), ReverseProxyValue.OneOf<SameSiteMode>())
        .Value(nameof(SessionAffinityCookieConfig.Expiration), ReverseProxyValue.Duration)
        .Value(nameof(SessionAffinityCookieConfig.MaxAge), ReverseProxyValue.Duration)
        .Value(nameof(SessionAffinityCookieConfig.IsEssential), ReverseProxyValue.Boolean);

    private static readonly ReverseProxyLevel SessionAffinity = new ReverseProxyLevel()
        .Value(nameof(SessionAffinityConfig.Enabled), ReverseProxyValue.Boolean)
        .Value(nameof(SessionAffinityConfig.Policy))
        .Value(nameof(SessionAffinityConfig.FailurePolicy))
        .Value(nameof(SessionAffinityConfig.AffinityKeyName))
        .Section(nameof(SessionAffinityConfig.Cookie), Cookie);

    private static readonly ReverseProxyLevel ActiveHealthCheck = new ReverseProxyLevel()
        .Value(nameof(ActiveHealthCheckConfig.Enabled), ReverseProxyValue.Boolean)
        .Value(nameof(ActiveHealthCheckConfig.Interval), ReverseProxyValue.Duration)
        .Value(nameof(ActiveHealthCheckConfig.Timeout), ReverseProxyValue.Duration)
        .Value(nameof(ActiveHealthCheckConfig.Policy))
        .Value(nameof(ActiveHealthCheckConfig.Path))
        .Value(nameof(ActiveHealthCheckConfig.Query));

    private static readonly ReverseProxyLevel PassiveHealthCheck = new ReverseProxyLevel()
        .Value(nameof(PassiveHealthCheckConfig.Enabled), ReverseProxyValue.Boolean)
        .Value(nameof(PassiveHealthCheckConfig.Policy))
        .Value(nameof(PassiveHealthCheckConfig.ReactivationPeriod), ReverseProxyValue.Duration);

    private static readonly ReverseProxyLevel HealthCheck = new ReverseProxyLevel()
        .Section(nameof(HealthCheckConfig.Active), ActiveHealthCheck)
        .Section(nameof(HealthCheckConfig.Passive), PassiveHealthCheck)
        .Value(nameof(HealthCheckConfig.AvailableDestinationsPolicy));

    private static readonly ReverseProxyLevel WebProxy = new ReverseProxyLevel()
        .Value(nameof(WebProxyConfig.Address), ReverseProxyValue.AbsoluteUrl)
        .Value(nameof(WebProxyConfig.BypassOnLocal), ReverseProxyValue.Boolean)
        .Value(nameof(WebProxyConfig.UseDefaultCredentials), ReverseProxyValue.Boolean);

    private static readonly ReverseProxyLevel ClusterHttpClient = new ReverseProxyLevel()
        .List(nameof(HttpClientConfig.SslProtocols), ReverseProxyValue.OneOf<SslProtocols>())
        .Value(nameof(HttpClientConfig.DangerousAcceptAnyServerCertificate), ReverseProxyValue.Boolean)
        .Value(nameof(HttpClientConfig.MaxConnectionsPerServer), ReverseProxyValue.Int32)
        .Value(nameof(HttpClientConfig.EnableMultipleHttp2Connections), ReverseProxyValue.Boolean)
        .Value(nameof(HttpClientConfig.RequestHeaderEncoding))
        .Value(nameof(HttpClientConfig.ResponseHeaderEncoding))
        .Section(nameof(HttpClientConfig.WebProxy), WebProxy);

    private static readonly ReverseProxyLevel ClusterHttpRequest = new ReverseProxyLevel()
        .Value(nameof(ForwarderRequestConfig.ActivityTimeout), ReverseProxyValue.Duration)
        .Value(nameof(ForwarderRequestConfig.Version), ReverseProxyValue.HttpVersion)
        .Value(nameof(ForwarderRequestConfig.VersionPolicy), ReverseProxyValue.OneOf<HttpVersionPolicy>())
        .Value(nameof(ForwarderRequestConfig.AllowResponseBuffering), ReverseProxyValue.Boolean);

    private static readonly ReverseProxyLevel Destination = new ReverseProxyLevel()
        .Value(nameof(DestinationConfig.Address))
        .Value(nameof(DestinationConfig.Health))
        .Value(nameof(DestinationConfig.Host))
        .ValuesByName(nameof(DestinationConfig.Metadata));

    private static readonly ReverseProxyLevel Cluster = new ReverseProxyLevel()
        .Value(nameof(ClusterConfig.LoadBalancingPolicy))
        .Section(nameof(ClusterConfig.SessionAffinity), SessionAffinity)
        .Section(nameof(ClusterConfig.HealthCheck), HealthCheck)
        .Section(nameof(ClusterConfig.HttpClient), ClusterHttpClient)
        .Section(nameof(ClusterConfig.HttpRequest), ClusterHttpRequest)
        .SectionsByName(nameof(ClusterConfig.Destinations), Destination)
        .ValuesByName(nameof(ClusterConfig.Metadata));

    /// <summary>The keys of <c>ReverseProxy</c> itself.</summary>
    public static readonly ReverseProxyLevel ReverseProxy = new ReverseProxyLevel()
        .SectionsByName("Routes", Route)
        .SectionsByName("Clusters", Cluster);
}
