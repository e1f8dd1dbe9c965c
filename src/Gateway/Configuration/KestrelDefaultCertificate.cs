namespace FcGateway.Configuration;

/// <summary>
/// The certificate an <c>https</c> endpoint without one of its own serves, as Kestrel's reload compares it (its
/// <c>CertificateConfig.Equals</c>): each setting's text, <c>AllowInvalid</c> as parsed. It is <c>Kestrel:Certificates:Default</c>
/// when that section exists (none when it names no certificate: Kestrel then looks no further), else
/// <c>Kestrel:Certificates:Development</c> when the developer certificate file it opens is there
/// (<see cref="KestrelDevelopmentCertificate"/>), else none. Kestrel reads it at each reload, whatever its endpoints.
/// </summary>
internal sealed record KestrelDefaultCertificate(string? Path, string? KeyPath, string? Password, string? Subject, string? Store, string? Location, bool AllowInvalid)
{
    /// <summary>Whether <paramref name="certificate"/> names a certificate (a file or a store's subject): else Kestrel takes the default.</summary>
    public static bool Names(IConfigurationSection certificate) =>
        !string.IsNullOrEmpty(certificate["Path"]) || !string.IsNullOrEmpty(certificate["Subject"]);

    /// <summary>The default certificate of <paramref name="kestrel"/>, a <c>Kestrel</c> section; null when Kestrel serves none from it.</summary>
    public static KestrelDefaultCertificate? Of(IConfigurationSection kestrel, KestrelDevelopmentCertificate development)
    {
        if (DefaultSection(kestrel) is { } configured)
        {
            return Names(configured) ? Settings(configured) : null;
        }

        var developer = kestrel.GetSection("Certificates:Development");
        return developer["Path"] is null && developer["Password"] is { } password && development.OpensWith(password) ? Settings(developer) : null;
    }

    /// <summary>The key of the section of <paramref name="kestrel"/> its default certificate is read from (<see cref="Of"/>).</summary>
    public static string KeyOf(IConfigurationSection kestrel) =>
        $"{KestrelKeys.SectionName}:Certificates:{(DefaultSection(kestrel) is null ? "Development" : "Default")}";

    private static IConfigurationSection? DefaultSection(IConfigurationSection kestrel) =>
        kestrel.GetSection("Certificates:Default") is var configured && configured.Exists() ? configured : null;

    private static KestrelDefaultCertificate Settings(IConfigurationSection certificate) =>
        new(certificate["Path"], certificate["KeyPath"], certificate["Password"], certificate["Subject"], certificate["Store"], certificate["Location"],
            bool.TryParse(certificate["AllowInvalid"], out var allowInvalid) && allowInvalid);
}
