using System.Diagnostics;

namespace FcGateway.Diagnostics;

/// <summary>The gateway's <see cref="ActivitySource"/>; one per product, its spans follow OpenTelemetry's FaaS conventions.</summary>
internal static class GatewayDiagnostics
{
    public const string SourceName = "FcGateway";

    public static readonly ActivitySource Source = new(SourceName);
}
