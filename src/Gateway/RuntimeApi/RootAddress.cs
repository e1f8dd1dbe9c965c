using FcGateway.Configuration;

namespace FcGateway.RuntimeApi;

/// <summary>
/// The root of the runtime API's shared listener, for a worker given only <c>host:port</c> (<c>AWS_LAMBDA_RUNTIME_API=
/// 127.0.0.1:9500</c>, as a runtime client expects it on Lambda, where the address is its function's alone): a request
/// under a protocol's version path is served as the function that pulls with that protocol, when it is the only one
/// whose workers are started elsewhere (launched instances have addresses of their own). Decided from the start-up
/// configuration, as the listener's ports are, so that a reload never hands a worker polling there another function's
/// invocations. With none, or several (whose workers the root cannot tell apart), a request there is refused with the
/// reason.
/// </summary>
internal sealed class RootAddress(GatewaySettings settings)
{
    private readonly string? _fcFunctionServed = OnlyOne(Pulling(settings, RuntimeApiProtocol.Fc));
    private readonly string? _lambdaFunctionServed = OnlyOne(Pulling(settings, RuntimeApiProtocol.Lambda));

    /// <summary>The one function pulling with <paramref name="protocol"/> that the root serves, or null.</summary>
    public string? FunctionServed(RuntimeApiProtocol protocol) =>
        protocol == RuntimeApiProtocol.Lambda ? _lambdaFunctionServed : _fcFunctionServed;

    /// <summary>Why the root serves no function with <paramref name="wire"/>'s protocol.</summary>
    public string RefusalMessage(RuntimeApiWire wire)
    {
        var pulling = Pulling(settings, wire.Protocol);
        var ownPorts = WithOwnPorts(settings, wire.Protocol);
        return pulling.Length == 0 && ownPorts.Length > 0
            ? $"Functions {string.Join(", ", ownPorts)} pull with this runtime API ({wire.VersionPath}) at ports of their own (RuntimeApiUrl), so this root serves none of them: point each worker at its function's port."
            : pulling.Length == 0
            ? $"No function whose workers are started elsewhere pulls its invocations with this runtime API ({wire.VersionPath}): set a function's RuntimeApi to {wire.Protocol.ToString().ToLowerInvariant()} (the root is decided at start-up)."
            : $"Functions {string.Join(", ", pulling)} pull with this runtime API ({wire.VersionPath}), so its root serves none of them: give each worker its function's address, <host:port>/functions/<name>, or, for a client that keeps only host:port, a port of the function's own (Gateway:Functions:<name>:RuntimeApiUrl).";
    }

    /// <summary>The functions pulling with <paramref name="protocol"/> whose workers are started elsewhere and poll the shared listener.</summary>
    private static string[] Pulling(GatewaySettings settings, RuntimeApiProtocol protocol) =>
        Named(settings, function => function.RuntimeApi == protocol && function.Launch is null && function.RuntimeApiUrl is null);

    private static string[] WithOwnPorts(GatewaySettings settings, RuntimeApiProtocol protocol) =>
        Named(settings, function => function.RuntimeApi == protocol && function.Launch is null && function.RuntimeApiUrl is not null);

    private static string? OnlyOne(string[] functions) => functions.Length == 1 ? functions[0] : null;

    private static string[] Named(GatewaySettings settings, Func<FunctionSettings, bool> matches) =>
        [.. settings.Functions.Where(function => matches(function.Value)).Select(function => function.Key).Order(StringComparer.Ordinal)];
}
