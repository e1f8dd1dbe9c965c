namespace FcGateway.Configuration;

internal static partial class ListenerCollisions
{
    /// <summary>
    /// <c>Kestrel:Certificates:Default</c> as Kestrel compares it (its <c>CertificateConfig.Equals</c>): each setting's text,
    /// <c>AllowInvalid</c> as parsed. <c>Certificates:Development</c>, which Kestrel falls back to without a <c>Default</c>
    /// when it finds ASP.NET Core's developer certificate file, is not compared.
    /// </summary>
    private sealed record DefaultCertificate(string? Path, string? KeyPath, string? Password, string? Subject, string? Store, string? Location, bool AllowInvalid)
    {
        /// <summary>Whether <paramref name="certificate"/> names a certificate (a file or a store's subject): else Kestrel takes the default.</summary>
        public static bool Names(IConfigurationSection certificate) =>
            !string.IsNullOrEmpty(certificate["Path"]) || !string.IsNullOrEmpty(certificate["Subject"]);

        /// <summary>The default certificate <paramref name="certificate"/> configures; null when it names none.</summary>
        public static DefaultCertificate? Of(IConfigurationSection certificate) =>
            Names(certificate)
                ? new(certificate["Path"], certificate["KeyPath"], certificate["Password"], certificate["Subject"], certificate["Store"], certificate["Location"],
                    bool.TryParse(certificate["AllowInvalid"], out var allowInvalid) && allowInvalid)
                : null;
    }
}
