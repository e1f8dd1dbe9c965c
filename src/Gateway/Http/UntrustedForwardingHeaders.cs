namespace FcGateway.Http;

/// <summary>
/// The headers by which a proxy speaks for the client — its address, the host and scheme it called — believed
/// only from trusted proxies once <c>Gateway:ForwardedHeaders:TrustedProxies</c> is set. From any other peer they
/// are removed before anything reads the request; <c>X-Forwarded-For</c> is then rebuilt from the peer alone
/// (<see cref="ForwardedFor"/>).
/// </summary>
internal static class UntrustedForwardingHeaders
{
    private static readonly string[] Names =
    [
        ForwardedFor.RealIpHeaderName, "X-Client-IP", "Forwarded", "X-Forwarded-Host", "X-Forwarded-Proto",
    ];

    public static void Remove(IHeaderDictionary headers)
    {
        foreach (var name in Names)
        {
            headers.Remove(name);
        }
    }
}
