using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A self-signed certificate for localhost and 127.0.0.1, valid for the next hour (or the given days), written to a PFX file that a
/// Kestrel TLS endpoint of the gateway reads (as docs/gateway.md configures one); the file is deleted on dispose.
/// </summary>
public sealed class TlsEndpointCertificate : IDisposable
{
    private const string Password = "test-password";
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"fc-gateway-{Guid.NewGuid():N}.pfx");

    private TlsEndpointCertificate(X509Certificate2 certificate) => Certificate = certificate;

    public X509Certificate2 Certificate { get; }

    /// <summary>A request for a certificate of <c>localhost</c> and 127.0.0.1, signed by <paramref name="key"/>.</summary>
    public static CertificateRequest LocalhostRequest(RSA key)
    {
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        return request;
    }

    public static async Task<TlsEndpointCertificate> CreateAsync(DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = RSA.Create(2048);
        var request = LocalhostRequest(key);
        var created = new TlsEndpointCertificate(request.CreateSelfSigned(notBefore ?? DateTimeOffset.UtcNow.AddMinutes(-5), notAfter ?? DateTimeOffset.UtcNow.AddHours(1)));
        await File.WriteAllBytesAsync(created._path, created.Certificate.Export(X509ContentType.Pfx, Password));
        return created;
    }

    /// <summary>Adds the TLS endpoint <c>Kestrel:Endpoints:tls</c> on a free loopback port, serving this certificate.</summary>
    public GatewayConfiguration AddEndpoint(GatewayConfiguration configuration) =>
        ServedBy("tls").Aggregate(configuration.Set("Kestrel:Endpoints:tls:Url", "https://127.0.0.1:0"), (set, setting) => set.Set(setting.Key, setting.Value));

    /// <summary>The settings of the endpoint <paramref name="endpoint"/> that have it serve this certificate.</summary>
    public (string Key, string Value)[] ServedBy(string endpoint) =>
        [($"Kestrel:Endpoints:{endpoint}:Certificate:Path", _path), ($"Kestrel:Endpoints:{endpoint}:Certificate:Password", Password)];

    /// <summary>Whether <paramref name="presented"/> is this certificate (what a client's validation callback accepts).</summary>
    public bool IsPresented(X509Certificate? presented) => presented?.GetCertHashString() == Certificate.Thumbprint;

    public void Dispose()
    {
        File.Delete(_path);
        Certificate.Dispose();
    }
}
