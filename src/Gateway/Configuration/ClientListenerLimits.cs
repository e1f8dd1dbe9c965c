using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace FcGateway.Configuration;

/// <summary>
/// Kestrel's limits on the clients' listener, set well above the gateway's so that a request a little over a limit gets
/// the FC error (400 InvalidArgument or EntityTooLarge) instead of Kestrel's bare 413/431. Kestrel reads them for each
/// request, so they follow every edit of <c>Gateway:Limits</c> put in force: a limit raised past four times its
/// start-up value would otherwise still be refused by Kestrel, before the gateway saw the request.
/// </summary>
internal static class ClientListenerLimits
{
    private const int KestrelHeaderDefaultBytes = 32 * 1024;
    private const int KestrelRequestLineDefaultBytes = 8 * 1024;
    private const int KestrelHeaderCountDefault = 100;

    /// <summary>Sets <paramref name="kestrel"/> for the limits in force, and again whenever <paramref name="settings"/> puts others in force.</summary>
    public static void Follow(KestrelServerLimits kestrel, GatewaySettingsMonitor settings)
    {
        var configuredBuffer = kestrel.MaxRequestBufferSize;
        Apply(kestrel, settings.Current.Limits, configuredBuffer);
        settings.Applied += applied => Apply(kestrel, applied.Limits, configuredBuffer);
    }

    private static void Apply(KestrelServerLimits kestrel, GatewayLimits limits, long? configuredBuffer)
    {
        // The body limit is also set per request (GatewayRequestMiddleware), chunked framing included.
        kestrel.MaxRequestBodySize = limits.MaxRequestBodyBytes;
        kestrel.MaxRequestHeadersTotalSize = Math.Max(KestrelHeaderDefaultBytes, SaturatingTimesFour(limits.MaxRequestHeaderBytes));
        kestrel.MaxRequestLineSize = Math.Max(KestrelRequestLineDefaultBytes, SaturatingTimesFour(limits.MaxPathAndQueryBytes));

        // Kestrel's default of 100 fields would answer 431 without a request id long before the FC rule (a total of
        // 8 KB) applies; a field costs at least one byte of that total, so this many never cuts in first.
        kestrel.MaxRequestHeaderCount = Math.Max(KestrelHeaderCountDefault, limits.MaxRequestHeaderBytes);

        // Kestrel refuses to start with a request buffer (1 MiB unless set in code, null for no bound)
        // smaller than the request line or header limit, so the buffer grows with them.
        var head = Math.Max(kestrel.MaxRequestHeadersTotalSize, kestrel.MaxRequestLineSize);
        kestrel.MaxRequestBufferSize = configuredBuffer is { } buffer ? Math.Max(buffer, head) : null;
    }

    private static int SaturatingTimesFour(int value) => (int)Math.Min(int.MaxValue, 4L * value);
}
