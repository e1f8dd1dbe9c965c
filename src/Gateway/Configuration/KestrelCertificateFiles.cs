using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FcGateway.Configuration;

/// <summary>
/// Reads the certificate files of the <c>Kestrel</c> section as Kestrel reads them: a <c>Path</c> with its
/// <c>KeyPath</c> (PEM) and <c>Password</c> when given, else a PEM or DER certificate or a PKCS#12 file. .NET's PEM
/// import refuses an encrypted <c>KeyPath</c> without the <c>Password</c>, a key file that holds no key, and a key that
/// is not the certificate's, with an <see cref="ArgumentException"/> rather than a <see cref="CryptographicException"/>.
/// </summary>
internal static class KestrelCertificateFiles
{
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcOid = "1.2.840.10045.2.1";

    /// <summary>Every certificate of the <c>Kestrel</c> section given by a file: an endpoint's, its SNI hosts', and the named ones.</summary>
    public static IEnumerable<IConfigurationSection> Sections(IConfiguration configuration)
    {
        var kestrel = configuration.GetSection(KestrelKeys.SectionName);
        return kestrel.GetSection("Endpoints").GetChildren()
            .SelectMany(endpoint => endpoint.GetSection("Sni").GetChildren().Select(host => host.GetSection("Certificate")).Prepend(endpoint.GetSection("Certificate")))
            .Concat(kestrel.GetSection("Certificates").GetChildren())
            .Where(section => !string.IsNullOrEmpty(section["Path"]));
    }

    /// <summary>
    /// Why the certificate of <paramref name="certificate"/> (whose files exist) does not read with its key and password,
    /// in .NET's words on one line (a key that is not the certificate's, a wrong password, a file that is no
    /// certificate); null when it reads.
    /// </summary>
    /// <param name="certificate">A certificate section with a <c>Path</c>.</param>
    /// <param name="contentRoot">Where a relative path starts, as in Kestrel.</param>
    public static string? ReadProblem(IConfigurationSection certificate, string contentRoot)
    {
        var path = Path.GetFullPath(certificate["Path"]!, contentRoot);
        var password = certificate["Password"];
        try
        {
            if (string.IsNullOrEmpty(certificate["KeyPath"]))
            {
                using var alone = TryLoadCertificate(path) ?? X509CertificateLoader.LoadPkcs12FromFile(path, password);
                return null;
            }

            using var withKey = WithItsKey(path, Path.GetFullPath(certificate["KeyPath"]!, contentRoot), password);
            return null;
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return ex.Message.ReplaceLineEndings(" ");
        }
    }

    /// <summary>
    /// The certificate with the key of its PEM <c>KeyPath</c>, read as Kestrel reads it (the key imported for the
    /// certificate's algorithm, then paired with it), so that each way it fails has .NET's own reason: .NET's
    /// <see cref="X509Certificate2.CreateFromPemFile(string, string?)"/> gives one message for them all.
    /// </summary>
    private static X509Certificate2 WithItsKey(string path, string keyPath, string? password)
    {
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(path);
        var keyText = File.ReadAllText(keyPath);
        switch (certificate.GetKeyAlgorithm())
        {
            case RsaOid:
                using (var rsa = RSA.Create())
                {
                    Import(rsa, keyText, password);
                    return certificate.CopyWithPrivateKey(rsa);
                }

            case EcOid:
                using (var ecdsa = ECDsa.Create())
                {
                    Import(ecdsa, keyText, password);
                    return certificate.CopyWithPrivateKey(ecdsa);
                }

            default:
                return string.IsNullOrEmpty(password)
                    ? X509Certificate2.CreateFromPemFile(path, keyPath)
                    : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
        }
    }

    private static void Import(AsymmetricAlgorithm key, string keyText, string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            key.ImportFromPem(keyText);
        }
        else
        {
            key.ImportFromEncryptedPem(keyText, password);
        }
    }

    /// <summary>The certificate of a PEM or DER file, else of a PKCS#12 file, or null when it is neither.</summary>
    public static X509Certificate2? TryLoad(string path, string? password)
    {
        try
        {
            return TryLoadCertificate(path) ?? X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static X509Certificate2? TryLoadCertificate(string path)
    {
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(path);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
