namespace FcGateway.RuntimeApi;

/// <summary>
/// Where the runtime API serves a function: at the function's own prefix <c>/functions/{name}</c>, and at each launched
/// instance's <c>/functions/{name}/instances/{id}</c>, so that the gateway can hold an instance's polls while it is full.
/// Below a prefix, each protocol's version path (<see cref="RuntimeApiWire.VersionPath"/>), then its calls:
/// <c>/invocation/next</c>, <c>/invocation/{id}/response</c>, <c>/invocation/{id}/error</c>, and Lambda's
/// <c>/init/error</c> (<see cref="RuntimeApiRouter"/> reads them).
/// </summary>
internal static class RuntimeApiPaths
{
    public const string Functions = "/functions";
    public const string Instances = "/instances";
    public const string Invocation = "/invocation";
    public const string Next = "/next";
    public const string Response = "/response";
    public const string Error = "/error";

    /// <summary>Lambda only (wire contract §14): the process failed before its first <c>next</c>.</summary>
    public const string InitError = "/init/error";
}
