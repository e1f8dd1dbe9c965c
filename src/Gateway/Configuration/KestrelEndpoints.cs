using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace FcGateway.Configuration;

/// <summary>
/// Has Kestrel read its <c>Endpoints</c> and <c>Certificates</c> before the host starts, so that what
/// <see cref="KestrelEndpointProblems"/> cannot see without doing Kestrel's work (an https endpoint without a
/// certificate) stops start-up with one line instead of an unhandled exception, its stack trace and a crash. Kestrel
/// reads the section once: binding later uses what was read here. .NET's PEM import refuses some key files with an
/// <see cref="ArgumentException"/> rather than a <see cref="CryptographicException"/> (<see cref="KestrelCertificateFiles"/>).
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
            throw new GatewayStartupException(
                $"Kestrel could not set up the endpoints of its configuration: {ex.Message.ReplaceLineEndings(" ")} Check Kestrel:Endpoints (Url, Protocols, Certificate) and Kestrel:Certificates.",
                ex);
        }
    }

    /// <summary>
    /// Warns of each certificate file of the <c>Kestrel</c> section that is not valid now (expired, or not yet valid):
    /// Kestrel serves it without a word, and every client that checks it refuses the connection. A file that cannot be
    /// read was a configuration problem already (<see cref="KestrelEndpointProblems"/>).
    /// </summary>
    /// <param name="configuration">The whole configuration; a relative certificate path starts at its content root, as in Kestrel.</param>
    /// <param name="logger">Where the warnings go.</param>
    /// <param name="now">The time the certificates must be valid at.</param>
    public static void WarnOfCertificatesOutOfDate(IConfiguration configuration, ILogger logger, DateTimeOffset now)
    {
        var contentRoot = ContentRoot(configuration);
        foreach (var section in KestrelCertificateFiles.Sections(configuration))
        {
            using var certificate = KestrelCertificateFiles.TryLoad(Path.GetFullPath(section["Path"]!, contentRoot), section["Password"]);
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

    private static partial class Log
    {
        // A warning, not an error: a client that pins the certificate or does not check it is still served.
        [LoggerMessage(EventIds.CertificateOutOfDate, LogLevel.Warning, "{Key}: the certificate '{Subject}' is valid from {NotBefore} to {NotAfter} only, not now: TLS clients that check it refuse every connection. Renew it (Kestrel reads a replaced file by itself).")]
        public static partial void CertificateOutOfDate(ILogger logger, string key, string subject, string notBefore, string notAfter);
    }
}
