using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FcGateway.Configuration;

/// <summary>
/// The developer certificate file Kestrel looks for at each reload when <c>Kestrel:Certificates:Default</c> is absent and
/// <c>Kestrel:Certificates:Development</c> gives a <c>Password</c> and no <c>Path</c>: ASP.NET Core's HTTPS development
/// certificate exported for the application (<c>dotnet dev-certs https -ep ~/.aspnet/https/{ApplicationName}.pfx -p …</c>;
/// under <c>APPDATA</c>'s <c>ASP.NET/https</c> where that is set). Kestrel serves it when it opens with that password and is
/// the development certificate, <c>CN=localhost</c> marked with ASP.NET Core's extension.
/// </summary>
/// <param name="applicationName">The application's name, as Kestrel reads it from the host's environment.</param>
internal sealed class KestrelDevelopmentCertificate(string applicationName)
{
    private const string AspNetHttpsOid = "1.3.6.1.4.1.311.84.1.1";

    private const string LocalhostSubject = "CN=localhost";

    /// <summary>Whether Kestrel serves the file with <paramref name="password"/>, as it judges it now.</summary>
    public bool OpensWith(string password)
    {
        var path = FilePath();
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
            return string.Equals(certificate.Subject, LocalhostSubject, StringComparison.Ordinal)
                && certificate.Extensions.Any(extension => string.Equals(extension.Oid?.Value, AspNetHttpsOid, StringComparison.Ordinal));
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            // Kestrel logs that it could not load the file and serves no developer certificate.
            return false;
        }
    }

    private string FilePath()
    {
        var folder = Environment.GetEnvironmentVariable("APPDATA") is { } appData
            ? Path.Combine(appData, "ASP.NET", "https")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aspnet", "https");
        return Path.Combine(folder, $"{applicationName}.pfx");
    }
}
