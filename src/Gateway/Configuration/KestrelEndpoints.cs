using System.Security.Cryptography;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace FcGateway.Configuration;

/// <summary>
/// Has Kestrel read its <c>Endpoints</c> and <c>Certificates</c> before the host starts, so that what
/// <see cref="KestrelEndpointProblems"/> cannot see without doing Kestrel's work (a wrong certificate password, a file
/// that is no certificate, an https endpoint without one) stops start-up with one line instead of an unhandled exception,
/// its stack trace and a crash. Kestrel reads the section once: binding later uses what was read here. .NET's PEM import
/// refuses an encrypted <c>KeyPath</c> without the <c>Password</c>, and a key file that holds no key, with an
/// <see cref="ArgumentException"/> rather than a <see cref="CryptographicException"/>.
/// </summary>
internal static class KestrelEndpoints
{
    /// <exception cref="GatewayStartupException">Kestrel could not set up an endpoint from the configuration.</exception>
    public static void LoadOrThrow(IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.ConfigurationLoader?.Load();
        }
        catch (Exception ex) when (ex is IOException or CryptographicException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new GatewayStartupException(
                $"Kestrel could not set up the endpoints of its configuration: {ex.Message.ReplaceLineEndings(" ")} Check Kestrel:Endpoints (Url, Protocols, Certificate) and Kestrel:Certificates.",
                ex);
        }
    }
}
