using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FcGateway.Configuration;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Configuration;

/// <summary>
/// An address in <c>Urls</c> is judged as Kestrel reads it: Kestrel splits the list at ';' and trims nothing. A
/// certificate is judged as Kestrel reads it too: its PEM key imported for its algorithm and paired with it.
/// </summary>
public sealed class KestrelEndpointProblemsTests
{
    [Theory]
    [InlineData(" http://127.0.0.1:8080")]
    [InlineData("http://127.0.0.1:8080 ; http://[::1]:8080")]
    public void Urls_AnAddressWithSpacesAroundIt_IsAProblem_AsKestrelWouldRefuseIt(string urls)
    {
        var problems = Find(("Urls", urls));

        Assert.Contains(problems, problem => problem.StartsWith("Urls: ", StringComparison.Ordinal) && problem.Contains("spaces", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080;http://[::1]:8080")]
    [InlineData("http://127.0.0.1:8080;")]
    public void Urls_AsKestrelReadsThem_AreNoProblem(string urls) => Assert.Empty(Find(("Urls", urls)));

    [Theory]
    [InlineData("rsa")]
    [InlineData("ecdsa")]
    public void Certificate_PemWithItsOwnKey_IsNoProblem(string algorithm)
    {
        using var files = PemFiles.Create(algorithm, keyOfAnother: false);

        Assert.Empty(Find(("Kestrel:Endpoints:tls:Url", "https://127.0.0.1:0"), ("Kestrel:Endpoints:tls:Certificate:Path", files.CertificatePath), ("Kestrel:Endpoints:tls:Certificate:KeyPath", files.KeyPath)));
    }

    [Theory]
    [InlineData("rsa")]
    [InlineData("ecdsa")]
    public void Certificate_OfAnSniHost_WithTheKeyOfAnother_IsAProblemNamedByItsKey(string algorithm)
    {
        using var files = PemFiles.Create(algorithm, keyOfAnother: true);

        var problem = Assert.Single(Find(
            ("Kestrel:Endpoints:tls:Url", "https://127.0.0.1:0"),
            ("Kestrel:Endpoints:tls:Sni:a.example:Certificate:Path", files.CertificatePath),
            ("Kestrel:Endpoints:tls:Sni:a.example:Certificate:KeyPath", files.KeyPath)));
        Assert.StartsWith("Kestrel:Endpoints:tls:Sni:a.example:Certificate: not readable with its key and password: The provided key does not match the public key for this certificate.", problem, StringComparison.Ordinal);
    }

    private static IReadOnlyList<string> Find(params (string Key, string Value)[] values) =>
        KestrelEndpointProblems.Find(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(pair => KeyValuePair.Create(pair.Key, (string?)pair.Value)))
            .Build());

    /// <summary>A self-signed certificate and a key, each in a PEM file of its own, deleted on dispose.</summary>
    private sealed class PemFiles : IDisposable
    {
        private PemFiles(string certificatePath, string keyPath) => (CertificatePath, KeyPath) = (certificatePath, keyPath);

        public string CertificatePath { get; }

        public string KeyPath { get; }

        /// <param name="algorithm"><c>rsa</c> or <c>ecdsa</c>.</param>
        /// <param name="keyOfAnother">Whether the key file holds another key of that algorithm than the certificate's.</param>
        public static PemFiles Create(string algorithm, bool keyOfAnother)
        {
            using AsymmetricAlgorithm key = algorithm == "rsa" ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using AsymmetricAlgorithm other = algorithm == "rsa" ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = key is RSA rsa
                ? new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                : new CertificateRequest("CN=localhost", (ECDsa)key, HashAlgorithmName.SHA256);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
            var files = new PemFiles(
                Path.Combine(Path.GetTempPath(), $"fc-gateway-{Guid.NewGuid():N}.pem"),
                Path.Combine(Path.GetTempPath(), $"fc-gateway-{Guid.NewGuid():N}.key"));
            File.WriteAllText(files.CertificatePath, certificate.ExportCertificatePem());
            File.WriteAllText(files.KeyPath, (keyOfAnother ? other : key).ExportPkcs8PrivateKeyPem());
            return files;
        }

        public void Dispose()
        {
            File.Delete(CertificatePath);
            File.Delete(KeyPath);
        }
    }
}
