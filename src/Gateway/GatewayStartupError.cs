using FcGateway.Configuration;
using Microsoft.AspNetCore.Connections;

namespace FcGateway;

/// <summary>
/// The one line a failed start-up prints instead of a stack trace, for the mistakes a user fixes: invalid configuration,
/// a configuration file that is not valid JSON, a port already in use (the clients' or the runtime API's), an address
/// in <c>Urls</c> Kestrel cannot set up (an https one without a certificate), a certificate without its private key.
/// <c>Program</c> and the quick start share it.
/// </summary>
public static class GatewayStartupError
{
    private const string KestrelAssembly = "Microsoft.AspNetCore.Server.Kestrel.Core";
    private const string SecurityAssembly = "System.Net.Security";

    /// <summary>
    /// Keeps the host's own "Hosting failed to start" entry, with its stack trace, out of the log: it would bury the line
    /// <see cref="Describe"/> gives. Pass it as the <c>configure</c> argument of <see cref="GatewayHost.BuildAsync"/>.
    /// </summary>
    /// <param name="builder">The gateway's builder.</param>
    public static void SuppressHostFailureLog(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
    }

    /// <summary>One line telling what went wrong and how to fix it, or null when <paramref name="exception"/> is not such a mistake.</summary>
    /// <param name="exception">What building or starting the gateway threw.</param>
    /// <returns>The line, or null.</returns>
    public static string? Describe(Exception exception) => exception switch
    {
        GatewayConfigurationException or GatewayStartupException => exception.Message,

        // Kestrel's message names the address: "Failed to bind to address http://127.0.0.1:8080: address already in use."
        IOException { InnerException: AddressInUseException } =>
            $"{exception.Message} Free the port or listen elsewhere: with --urls (or the Urls setting), e.g. --urls http://127.0.0.1:8081, or, for an endpoint listed under Kestrel:Endpoints, with its Url.",

        // Kestrel binds Urls and Kestrel:Endpoints only when the host starts, after KestrelEndpoints read its own section;
        // its message does not say which of them failed (an https address without a certificate, an Http3 endpoint on a
        // platform without QUIC).
        InvalidOperationException { Source: KestrelAssembly } =>
            $"Kestrel could not listen as configured (Urls, HTTP_PORTS/HTTPS_PORTS or Kestrel:Endpoints): {exception.Message.ReplaceLineEndings(" ")}{CertificateHint(exception.Message)}",

        // An https endpoint's TLS is set up only as Kestrel binds it: a certificate without its private key (a PEM Path
        // given without KeyPath) is refused there, after KestrelEndpoints read the section without a complaint.
        NotSupportedException { Source: SecurityAssembly } =>
            $"Kestrel could not set up an https endpoint: {exception.Message.ReplaceLineEndings(" ")} Give the certificate's private key: KeyPath beside a PEM Path, or a .pfx that holds it (the endpoint's Certificate, or Kestrel:Certificates:Default).",
        _ => ConfigurationFileError.Describe(exception),
    };

    /// <summary>Where a certificate goes, for Kestrel's refusal of an https address ("Unable to configure HTTPS endpoint. …") alone.</summary>
    private static string CertificateHint(string kestrelMessage) =>
        kestrelMessage.Contains("HTTPS", StringComparison.Ordinal)
            ? " An https address needs a certificate: set Kestrel:Certificates:Default (Path, Password), or list the endpoint under Kestrel:Endpoints with its Certificate."
            : "";
}
