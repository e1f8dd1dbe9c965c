namespace FcGateway.RuntimeApi;

/// <summary>The runtime API's routes (wire contract §13), under each function's own prefix <c>/functions/{name}</c>.</summary>
internal static class RuntimeApiPaths
{
    public const string FunctionPrefix = "/functions/{function}";
    public const string Next = FunctionPrefix + "/2020-11-11/runtime/invocation/next";
    public const string Response = FunctionPrefix + "/2020-11-11/runtime/invocation/{id}/response";
    public const string Error = FunctionPrefix + "/2020-11-11/runtime/invocation/{id}/error";

    /// <summary>What a worker of <paramref name="functionName"/> sets <c>FC_RUNTIME_API</c> to: <c>host:port/functions/{name}</c>.</summary>
    public static string RuntimeApiAddress(Uri listener, string functionName) =>
        $"{listener.Authority}/functions/{Uri.EscapeDataString(functionName)}";
}
