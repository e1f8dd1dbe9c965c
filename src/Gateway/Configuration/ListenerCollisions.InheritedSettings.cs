using System.Security.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace FcGateway.Configuration;

internal static partial class ListenerCollisions
{
    /// <summary>
    /// What an endpoint takes from the <c>Kestrel</c> section because it does not set it itself, as Kestrel's reload
    /// compares it to decide whether the endpoint is rebound (its <c>EndpointConfig.Equals</c>): values as Kestrel parses
    /// them, not their text, so <c>Http1</c> and <c>http1</c>, or <c>SslProtocols</c> <c>["Tls12", "Tls13"]</c> and
    /// <c>["Tls13", "Tls12"]</c>, are one setting, and one unset or that Kestrel cannot parse is Kestrel's default
    /// (<c>Http1AndHttp2</c>, its <c>ListenOptions.DefaultHttpProtocols</c>; <c>None</c>; <c>NoCertificate</c>). Null where the endpoint sets its own (Kestrel compares
    /// the endpoint's own section as text, apart), and the TLS settings of an <c>http</c> endpoint, which takes none.
    /// </summary>
    private sealed record InheritedSettings(
        HttpProtocols? Protocols, SslProtocols? TlsVersions, ClientCertificateMode? ClientCertificates, KestrelDefaultCertificate? Certificate)
    {
        /// <summary>
        /// The settings <paramref name="endpoint"/> takes from <paramref name="kestrel"/>, the section it is listed in, with
        /// <paramref name="development"/> as Kestrel would find it.
        /// </summary>
        public static InheritedSettings Of(IConfigurationSection endpoint, IConfigurationSection kestrel, KestrelDevelopmentCertificate development)
        {
            var defaults = kestrel.GetSection("EndpointDefaults");
            var protocols = Parsed<HttpProtocols>(endpoint["Protocols"]) is null
                ? Parsed<HttpProtocols>(defaults["Protocols"]) ?? HttpProtocols.Http1AndHttp2
                : (HttpProtocols?)null;
            if (!string.Equals(Parse(endpoint["Url"])?.Scheme, "https", StringComparison.OrdinalIgnoreCase))
            {
                return new(protocols, null, null, null);
            }

            return new(
                protocols,
                ListedTlsVersions(endpoint) is null ? ListedTlsVersions(defaults) ?? SslProtocols.None : null,
                Parsed<ClientCertificateMode>(endpoint["ClientCertificateMode"]) is null
                    ? Parsed<ClientCertificateMode>(defaults["ClientCertificateMode"]) ?? ClientCertificateMode.NoCertificate
                    : null,
                KestrelDefaultCertificate.Names(endpoint.GetSection("Certificate")) ? null : KestrelDefaultCertificate.Of(kestrel, development));
        }

        private static TEnum? Parsed<TEnum>(string? text) where TEnum : struct, Enum =>
            Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) ? value : null;

        /// <summary>The versions a <c>SslProtocols</c> list names, those Kestrel parses; null for no list (a lone value is none).</summary>
        private static SslProtocols? ListedTlsVersions(IConfigurationSection section)
        {
            var entries = section.GetSection("SslProtocols").GetChildren().ToList();
            return entries.Count == 0
                ? null
                : entries.Aggregate(SslProtocols.None, (versions, entry) => versions | (Parsed<SslProtocols>(entry.Value) ?? default));
        }
    }
}
