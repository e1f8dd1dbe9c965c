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
    private static readonly SettingsLevel RouteMatchEntry = new SettingsLevel()
        .Value(nameof(RouteHeader.Name))
        .List(nameof(RouteHeader.Values))
        .Value(nameof(RouteHeader.Mode), SettingsValue.OneOf<HeaderMatchMode>())
        .Value(nameof(RouteHeader.IsCaseSensitive), SettingsValue.Boolean);

    private static readonly SettingsLevel RouteQueryEntry = new SettingsLevel()
        .Value(nameof(RouteQueryParameter.Name))
        .List(nameof(RouteQueryParameter.Values))
        .Value(nameof(RouteQueryParameter.Mode), SettingsValue.OneOf<QueryParameterMatchMode>())
        .Value(nameof(RouteQueryParameter.IsCaseSensitive), SettingsValue.Boolean);

    private static readonly SettingsLevel Match = new SettingsLevel()
        .List(nameof(RouteMatch.Methods))
        .List(nameof(RouteMatch.Hosts))
        .Value(nameof(RouteMatch.Path))
        .SectionList(nameof(RouteMatch.Headers), RouteMatchEntry)
        .SectionList(nameof(RouteMatch.QueryParameters), RouteQueryEntry);

    private static readonly SettingsLevel Route = new SettingsLevel()
        .Value(nameof(RouteConfig.ClusterId))
        .Value(nameof(RouteConfig.Order), SettingsValue.Int32)
        .Value(nameof(RouteConfig.MaxRequestBodySize), SettingsValue.RequestBodySize)
        .Value(nameof(RouteConfig.AuthorizationPolicy))
        .Value(nameof(RouteConfig.RateLimiterPolicy))
        .Value(nameof(RouteConfig.OutputCachePolicy))
        .Value(nameof(RouteConfig.TimeoutPolicy))
        .Value(nameof(RouteConfig.Timeout), SettingsValue.Duration)
        .Value(nameof(RouteConfig.CorsPolicy))
        .Section(nameof(RouteConfig.Match), Match)
        .ValuesByName(nameof(RouteConfig.Metadata))
        .SectionList(nameof(RouteConfig.Transforms));

    private static readonly SettingsLevel Cookie = new SettingsLevel()
        .Value(nameof(SessionAffinityCookieConfig.Path))
        .Value(nameof(SessionAffinityCookieConfig.Domain))
        .Value(nameof(SessionAffinityCookieConfig.HttpOnly), SettingsValue.Boolean)
        .Value(nameof(SessionAffinityCookieConfig.SecurePolicy), SettingsValue.OneOf<CookieSecurePolicy>())
        .Value(nameof(SessionAffinityCookieConfig.SameSite), SettingsValue.OneOf<SameSiteMode>())
        .Value(nameof(SessionAffinityCookieConfig.Expiration), SettingsValue.Duration)
        .Value(nameof(SessionAffinityCookieConfig.MaxAge), SettingsValue.Duration)
        .Value(nameof(SessionAffinityCookieConfig.IsEssential), SettingsValue.Boolean);

    private static readonly SettingsLevel SessionAffinity = new SettingsLevel()
        .Value(nameof(SessionAffinityConfig.Enabled), SettingsValue.Boolean)
        .Value(nameof(SessionAffinityConfig.Policy))
        .Value(nameof(SessionAffinityConfig.FailurePolicy))
        .Value(nameof(SessionAffinityConfig.AffinityKeyName))
        .Section(nameof(SessionAffinityConfig.Cookie), Cookie);

    private static readonly SettingsLevel ActiveHealthCheck = new SettingsLevel()
        .Value(nameof(ActiveHealthCheckConfig.Enabled), SettingsValue.Boolean)
        .Value(nameof(ActiveHealthCheckConfig.Interval), SettingsValue.Duration)
        .Value(nameof(ActiveHealthCheckConfig.Timeout), SettingsValue.Duration)
        .Value(nameof(ActiveHealthCheckConfig.Policy))
        .Value(nameof(ActiveHealthCheckConfig.Path))
        .Value(nameof(ActiveHealthCheckConfig.Query));

    private static readonly SettingsLevel PassiveHealthCheck = new SettingsLevel()
        .Value(nameof(PassiveHealthCheckConfig.Enabled), SettingsValue.Boolean)
        .Value(nameof(PassiveHealthCheckConfig.Policy))
        .Value(nameof(PassiveHealthCheckConfig.ReactivationPeriod), SettingsValue.Duration);

    private static readonly SettingsLevel HealthCheck = new SettingsLevel()
        .Section(nameof(HealthCheckConfig.Active), ActiveHealthCheck)
        .Section(nameof(HealthCheckConfig.Passive), PassiveHealthCheck)
        .Value(nameof(HealthCheckConfig.AvailableDestinationsPolicy));

    private static readonly SettingsLevel WebProxy = new SettingsLevel()
        .Value(nameof(WebProxyConfig.Address), SettingsValue.AbsoluteUrl)
        .Value(nameof(WebProxyConfig.BypassOnLocal), SettingsValue.Boolean)
        .Value(nameof(WebProxyConfig.UseDefaultCredentials), SettingsValue.Boolean);

    private static readonly SettingsLevel ClusterHttpClient = new SettingsLevel()
        .List(nameof(HttpClientConfig.SslProtocols), SettingsValue.TlsVersion)
        .Value(nameof(HttpClientConfig.DangerousAcceptAnyServerCertificate), SettingsValue.Boolean)
        .Value(nameof(HttpClientConfig.MaxConnectionsPerServer), SettingsValue.Int32)
        .Value(nameof(HttpClientConfig.EnableMultipleHttp2Connections), SettingsValue.Boolean)
        .Value(nameof(HttpClientConfig.RequestHeaderEncoding))
        .Value(nameof(HttpClientConfig.ResponseHeaderEncoding))
        .Section(nameof(HttpClientConfig.WebProxy), WebProxy);

    private static readonly SettingsLevel ClusterHttpRequest = new SettingsLevel()
        .Value(nameof(ForwarderRequestConfig.ActivityTimeout), SettingsValue.PositiveDuration)
        .Value(nameof(ForwarderRequestConfig.Version), SettingsValue.HttpVersion)
        .Value(nameof(ForwarderRequestConfig.VersionPolicy), SettingsValue.OneOf<HttpVersionPolicy>())
        .Value(nameof(ForwarderRequestConfig.AllowResponseBuffering), SettingsValue.Boolean);

    private static readonly SettingsLevel Destination = new SettingsLevel()
        .Value(nameof(DestinationConfig.Address))
        .Value(nameof(DestinationConfig.Health))
        .Value(nameof(DestinationConfig.Host))
        .ValuesByName(nameof(DestinationConfig.Metadata));

    private static readonly SettingsLevel Cluster = new SettingsLevel()
        .Value(nameof(ClusterConfig.LoadBalancingPolicy))
        .Section(nameof(ClusterConfig.SessionAffinity), SessionAffinity)
        .Section(nameof(ClusterConfig.HealthCheck), HealthCheck)
        .Section(nameof(ClusterConfig.HttpClient), ClusterHttpClient)
        .Section(nameof(ClusterConfig.HttpRequest), ClusterHttpRequest)
        .SectionsByName(nameof(ClusterConfig.Destinations), Destination)
        .ValuesByName(nameof(ClusterConfig.Metadata));

    /// <summary>The keys of <c>ReverseProxy</c> itself.</summary>
    public static readonly SettingsLevel ReverseProxy = new SettingsLevel()
        .SectionsByName("Routes", Route)
        .SectionsByName("Clusters", Cluster);
}
