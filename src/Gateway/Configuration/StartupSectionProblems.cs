namespace FcGateway.Configuration;

/// <summary>
/// Problems of sections read while the services are registered (<c>Kestrel</c>'s endpoints, <c>OpenTelemetry</c>), kept for
/// <see cref="GatewayConfigurationValidator"/> to report beside every other problem instead of stopping start-up alone.
/// </summary>
/// <param name="Problems">Each problem, starting with the key it is about.</param>
internal sealed record StartupSectionProblems(IReadOnlyList<string> Problems);
