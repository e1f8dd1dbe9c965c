using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// An ASP.NET Core HTTPS development certificate (<c>CN=localhost</c>, with the extension <c>dotnet dev-certs</c> marks it
/// with), exported where Kestrel looks for it when <c>Kestrel:Certificates:Development:Password</c> is set
/// (<c>~/.aspnet/https/{ApplicationName}.pfx</c>, or under <c>APPDATA</c>), for an application name of its own; the file is
/// deleted on dispose.
/// </summary>
public sealed class DeveloperCertificateFile : IDisposable
{
    public const string Password = "dev-password";

    private const string AspNetHttpsOid = "1.3.6.1.4.1.311.84.1.1";

    private DeveloperCertificateFile()
    {
    }

    /// <summary>The application name the file is exported for.</summary>
    public string ApplicationName { get; } = $"fc-gateway-tests-{Guid.NewGuid():N}";

    private string FilePath => Path.Combine(
        Environment.GetEnvironmentVariable("APPDATA") is { } appData ? Path.Combine(appData, "ASP.NET", "https")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aspnet", "https"),
        $"{ApplicationName}.pfx");

    public static async Task<DeveloperCertificateFile> CreateAsync()
    {
        using var key = RSA.Create(2048);
        var request = TlsEndpointCertificate.LocalhostRequest(key);
        request.CertificateExtensions.Add(new X509Extension(new Oid(AspNetHttpsOid), [2], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        var created = new DeveloperCertificateFile();
        Directory.CreateDirectory(Path.GetDirectoryName(created.FilePath)!);
        await File.WriteAllBytesAsync(created.FilePath, certificate.Export(X509ContentType.Pfx, Password));
        return created;
    }

    /// <summary>
    /// Names the application of <paramref name="builder"/> after this file, so that its Kestrel finds it: in the host's
    /// environment, which Kestrel reads, as well as the builder's.
    /// </summary>
    public void FoundBy(WebApplicationBuilder builder)
    {
        var registered = builder.Services.Where(service => service.ServiceType == typeof(IHostEnvironment)).Select(service => service.ImplementationInstance);
        foreach (var environment in registered.OfType<IHostEnvironment>().Append(builder.Environment))
        {
            environment.ApplicationName = ApplicationName;
        }
    }

    public void Dispose() => File.Delete(FilePath);
}
