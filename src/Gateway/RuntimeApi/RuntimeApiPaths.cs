namespace FcGateway.RuntimeApi;

/// <summary>
/// Where the runtime API serves a function: at the function's own prefix <c>/functions/{name}</c>, and at each launched
/// instance's <c>/functions/{name}/instances/{id}</c>, so that the gateway can hold an instance's polls while it is full.
/// Below a prefix, each protocol has its versioned routes (<see cref="RuntimeApiWire"/>).
/// </summary>
internal static class RuntimeApiPaths
{
    public const string FunctionRouteValue = "function";
    public const string InstanceRouteValue = "instance";
    public const string IdRouteValue = "id";

    public const string FunctionPrefix = "/functions/{" + FunctionRouteValue + "}";
    public const string InstancePrefix = FunctionPrefix + "/instances/{" + InstanceRouteValue + "}";

    /// <summary>The path (unescaped, as <see cref="PathString"/> holds it) of one function's prefix.</summary>
    public static string FunctionPrefixOf(string functionName) => $"/functions/{functionName}";

    /// <summary>The path (unescaped, as <see cref="PathString"/> holds it) of one instance's prefix.</summary>
    public static string InstancePrefixOf(string functionName, string instanceId) => $"{FunctionPrefixOf(functionName)}/instances/{instanceId}";

    /// <summary>Below a protocol's version path (e.g. <c>/2020-11-11/runtime</c>).</summary>
    public const string Next = "/invocation/next";
    public const string Response = "/invocation/{" + IdRouteValue + "}/response";
    public const string Error = "/invocation/{" + IdRouteValue + "}/error";

    /// <summary>Lambda only (wire contract §14): the process failed before its first <c>next</c>.</summary>
    public const string InitError = "/init/error";
}
