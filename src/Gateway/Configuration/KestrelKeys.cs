using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace FcGateway.Configuration;

/// <summary>
/// Every key Kestrel reads from the <c>Kestrel</c> section (its <c>ConfigurationReader</c>): <c>Endpoints</c>,
/// <c>EndpointDefaults</c> and <c>Certificates</c>, at every depth. Kestrel ignores any other key, so a typo
/// (<c>Endpoints:web:Urll</c>, <c>Certificate:Passwrod</c>) would silently fall back to a default, and so would a value
/// it cannot parse (<c>ClientCertificateMode: "Require"</c> asks for no client certificate); both are problems here,
/// named by their key path. Kestrel's options (<c>Limits</c>, <c>AddServerHeader</c>…) are not read from configuration
/// at all (dotnet/aspnetcore#4765), so they are unknown keys too.
/// </summary>
internal static class KestrelKeys
{
    /// <summary>The section Kestrel reads its endpoints and certificates from.</summary>
    public const string SectionName = "Kestrel";

    /// <summary>The endpoints that, when there is one, replace <c>Urls</c> as where the clients' listeners bind.</summary>
    public const string EndpointsSectionName = "Kestrel:Endpoints";

    /// <summary>
    /// What Kestrel parses, less <c>None</c> (or <c>0</c>) and numbers beyond the protocols: Kestrel takes them and then
    /// refuses every connection of the endpoint ("An endpoint must be configured to serve at least one protocol").
    /// </summary>
    private static readonly SettingsValue Protocols = new(
        $"one of {string.Join(", ", Enum.GetNames<HttpProtocols>().Where(name => name != nameof(HttpProtocols.None)))}",
        text => Enum.TryParse<HttpProtocols>(text, ignoreCase: true, out var protocols)
            && protocols != HttpProtocols.None
            && (protocols & ~HttpProtocols.Http1AndHttp2AndHttp3) == HttpProtocols.None);

    private static readonly SettingsLevel Certificate = new SettingsLevel()
        .Value("Path")
        .Value("KeyPath")
        .Value("Password")
        .Value("Subject")
        .Value("Store")
        .Value("Location")
        .Value("AllowInvalid", SettingsValue.Boolean);

    private static readonly SettingsLevel EndpointDefaults = new SettingsLevel()
        .Value("Protocols", Protocols)
        .List("SslProtocols", SettingsValue.TlsVersion)
        .Value("ClientCertificateMode", SettingsValue.OneOf<ClientCertificateMode>());

    private static readonly SettingsLevel Sni = new SettingsLevel()
        .Value("Protocols", Protocols)
        .List("SslProtocols", SettingsValue.TlsVersion)
        .Value("ClientCertificateMode", SettingsValue.OneOf<ClientCertificateMode>())
        .Section("Certificate", Certificate);

    private static readonly SettingsLevel Endpoint = new SettingsLevel()
        .Value("Url")
        .Value("Protocols", Protocols)
        .List("SslProtocols", SettingsValue.TlsVersion)
        .Value("ClientCertificateMode", SettingsValue.OneOf<ClientCertificateMode>())
        .Section("Certificate", Certificate)
        .SectionsByName("Sni", Sni);

    /// <summary>The keys of <c>Kestrel</c> itself.</summary>
    public static readonly SettingsLevel Kestrel = new SettingsLevel()
        .SectionsByName("Endpoints", Endpoint)
        .Section("EndpointDefaults", EndpointDefaults)
        .SectionsByName("Certificates", Certificate);

    /// <summary>Whether <paramref name="configuration"/> lists an endpoint under <c>Kestrel:Endpoints</c>: Kestrel then binds those, not <c>Urls</c>.</summary>
    public static bool HasEndpoints(IConfiguration configuration) => configuration.GetSection(EndpointsSectionName).GetChildren().Any();
}
