using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace FcGateway.Configuration;

/// <summary>
/// Has Kestrel read its <c>Endpoints</c> and <c>Certificates</c> before the host starts, so that what
/// <see cref="KestrelEndpointProblems"/> cannot see without doing Kestrel's work (a wrong certificate password, a file
/// that is no certificate, an https endpoint without one) stops start-up with one line instead of an unhandled exception,
/// its stack trace and a crash. Kestrel reads the section once: binding later uses what was read here. .NET's PEM import
/// refuses an encrypted <c>KeyPath</c> without the <c>Password</c>, and a key file that holds no key, with an
/// <see cref="ArgumentException"/> rather than a <see cref="CryptographicException"/>.
/// </summary>
internal static partial class KestrelEndpoints
{
    /// <exception cref="GatewayStartupException">Kestrel could not set up an endpoint from the configuration.</exception>
    public static void LoadOrThrow(IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.ConfigurationLoader?.Load();
        }
        catch (Exception ex) when (ex is IOException or CryptographicException or InvalidOperationException or FormatException or ArgumentException)
        {
            var configuration = services.GetRequiredService<IConfiguration>();
            var contentRoot = ContentRoot(configuration);
            var unreadable = string.Join(", ", CertificateSections(configuration).Where(section => !CanRead(section, contentRoot)).Select(section => section.Path));
            var culprit = unreadable.Length == 0 ? "" : $" Not readable with its key and password: {unreadable}.";
            throw new GatewayStartupException(
                $"Kestrel could not set up the endpoints of its configuration: {ex.Message.ReplaceLineEndings(" ")}{culprit} Check Kestrel:Endpoints (Url, Protocols, Certificate) and Kestrel:Certificates.",
                ex);
        }
    }

    /// <summary>
    /// Warns of each certificate file of the <c>Kestrel</c> section that is not valid now (expired, or not yet valid):
    /// Kestrel serves it without a word, and every client that checks it refuses the connection. A file that cannot be
    /// read is left to Kestrel, which reports it.
    /// </summary>
    /// <param name="configuration">The whole configuration; a relative certificate path starts at its content root, as in Kestrel.</param>
    /// <param name="logger">Where the warnings go.</param>
    /// <param name="now">The time the certificates must be valid at.</param>
    public static void WarnOfCertificatesOutOfDate(IConfiguration configuration, ILogger logger, DateTimeOffset now)
    {
        var contentRoot = ContentRoot(configuration);
        foreach (var section in CertificateSections(configuration))
        {
            using var certificate = TryLoad(Path.GetFullPath(section["Path"]!, contentRoot), section["Password"]);
            if (certificate is not null && (now < certificate.NotBefore || now > certificate.NotAfter))
            {
                Log.CertificateOutOfDate(
                    logger,
                    section.Path,
                    certificate.Subject,
                    certificate.NotBefore.ToUniversalTime().ToString("u", CultureInfo.InvariantCulture),
                    certificate.NotAfter.ToUniversalTime().ToString("u", CultureInfo.InvariantCulture));
            }
        }
    }

    private static string ContentRoot(IConfiguration configuration) =>
        Path.GetFullPath(configuration[HostDefaults.ContentRootKey] ?? Directory.GetCurrentDirectory());

    /// <summary>Every certificate of the <c>Kestrel</c> section given by a file: an endpoint's, its SNI hosts', and the named ones.</summary>
    private static IEnumerable<IConfigurationSection> CertificateSections(IConfiguration configuration)
    {
        var kestrel = configuration.GetSection(KestrelKeys.SectionName);
        return kestrel.GetSection("Endpoints").GetChildren()
            .SelectMany(endpoint => endpoint.GetSection("Sni").GetChildren().Select(host => host.GetSection("Certificate")).Prepend(endpoint.GetSection("Certificate")))
            .Concat(kestrel.GetSection("Certificates").GetChildren())
            .Where(section => !string.IsNullOrEmpty(section["Path"]));
    }

    /// <summary>Whether a certificate file reads, with its <c>KeyPath</c> (PEM) and <c>Password</c> when given.</summary>
    private static bool CanRead(IConfigurationSection section, string contentRoot)
    {
        var path = Path.GetFullPath(section["Path"]!, contentRoot);
        var password = section["Password"];
        if (string.IsNullOrEmpty(section["KeyPath"]))
        {
            using var certificate = TryLoad(path, password);
            return certificate is not null;
        }

        var keyPath = Path.GetFullPath(section["KeyPath"]!, contentRoot);
        try
        {
            using var certificate = string.IsNullOrEmpty(password)
                ? X509Certificate2.CreateFromPemFile(path, keyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The certificate of a PEM or DER file, else of a PKCS#12 file, or null when it is neither (Kestrel reports that).</summary>
    private static X509Certificate2? TryLoad(string path, string? password)
    {
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(path);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
        }

        try
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static partial class Log
    {
        // A warning, not an error: a client that pins the certificate or does not check it is still served.
        [LoggerMessage(EventIds.CertificateOutOfDate, LogLevel.Warning, "{Key}: the certificate '{Subject}' is valid from {NotBefore} to {NotAfter} only, not now: TLS clients that check it refuse every connection. Renew it (Kestrel reads a replaced file by itself).")]
        public static partial void CertificateOutOfDate(ILogger logger, string key, string subject, string notBefore, string notAfter);
    }
}
