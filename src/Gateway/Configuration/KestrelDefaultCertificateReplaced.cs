namespace FcGateway.Configuration;

/// <summary>
/// An edit that changes the default certificate Kestrel serves (<see cref="KestrelDefaultCertificate"/>) while that one is
/// read from no file: the developer certificate of <c>Kestrel:Certificates:Development</c>, or a <c>Kestrel:Certificates:Default</c>
/// from a certificate store. Kestrel's reload stops watching the certificate's file then, finds no path, and fails
/// ("Unable to reload configuration", dotnet/aspnetcore#64307): it binds and stops none of the edit's endpoints, though it
/// counts them as bound from then on. Such an edit is refused, so that the endpoints stay as Kestrel knows them.
/// </summary>
internal static class KestrelDefaultCertificateReplaced
{
    /// <summary>The problem of <paramref name="edit"/>, if it replaces such a certificate.</summary>
    /// <param name="edit">The edited configuration.</param>
    /// <param name="bound">The gateway's listeners as the edit is judged: the <c>Kestrel</c> section in force among them.</param>
    public static IEnumerable<string> Find(IConfiguration edit, BoundListeners bound)
    {
        var inForce = KestrelDefaultCertificate.Of(bound.KestrelInForce, bound.DevelopmentCertificate);
        if (inForce is not { Path: null } || KestrelDefaultCertificate.Of(edit.GetSection(KestrelKeys.SectionName), bound.DevelopmentCertificate) == inForce)
        {
            return [];
        }

        return [$"{KestrelDefaultCertificate.KeyOf(bound.KestrelInForce)}: the edit changes the default certificate Kestrel serves, which it reads "
            + "from no file (the developer certificate, or a certificate store), and Kestrel cannot reload that one: it would fail "
            + "('Unable to reload configuration') and leave every endpoint as it was; restart the gateway to apply the edit."];
    }
}
