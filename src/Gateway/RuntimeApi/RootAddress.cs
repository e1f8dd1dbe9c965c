using FcGateway.Configuration;

namespace FcGateway.RuntimeApi;

/// <summary>
/// The root of the runtime API's shared listener, for a worker given only <c>host:port</c> (<c>AWS_LAMBDA_RUNTIME_API=
/// 127.0.0.1:9500</c>, as a runtime client expects it on Lambda, where the address is its function's alone): a request
/// under a protocol's version path is served as the function that pulls with that protocol, when it is the only one.
/// With none, or several (whose workers the root cannot tell apart), it is refused with the reason.
/// </summary>
internal static class RootAddress
{
    /// <summary>The one function of <paramref name="settings"/> that pulls with <paramref name="protocol"/>, or null.</summary>
    public static string? FunctionServed(GatewaySettings settings, RuntimeApiProtocol protocol)
    {
        string? served = null;
        foreach (var (name, function) in settings.Functions)
        {
            if (function.RuntimeApi == protocol)
            {
                if (served is not null)
                {
                    return null;
                }

                served = name;
            }
        }

        return served;
    }

    /// <summary>Why the root serves no function with <paramref name="wire"/>'s protocol.</summary>
    public static string RefusalMessage(GatewaySettings settings, RuntimeApiWire wire)
    {
        var pulling = settings.Functions.Where(function => function.Value.RuntimeApi == wire.Protocol).Select(function => function.Key).Order(StringComparer.Ordinal).ToArray();
        return pulling.Length == 0
            ? $"No function pulls its invocations with this runtime API ({wire.VersionPath}): set a function's RuntimeApi to {wire.Protocol.ToString().ToLowerInvariant()}."
            : $"Functions {string.Join(", ", pulling)} pull with this runtime API ({wire.VersionPath}), so its root serves none of them: give each worker its function's address, <host:port>/functions/<name>.";
    }
}
