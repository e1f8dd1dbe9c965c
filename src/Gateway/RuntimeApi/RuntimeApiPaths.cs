namespace FcGateway.RuntimeApi;

/// <summary>The runtime API's routes (wire contract §13), under each function's own prefix <c>/functions/{name}</c>.</summary>
internal static class RuntimeApiPaths
{
    public const string FunctionPrefix = "/functions/{function}";
    public const string Next = FunctionPrefix + "/2020-11-11/runtime/invocation/next";
    public const string Response = FunctionPrefix + "/2020-11-11/runtime/invocation/{id}/response";
    public const string Error = FunctionPrefix + "/2020-11-11/runtime/invocation/{id}/error";

    /// <summary>One launched instance's own prefix, so that the gateway can hold its polls while it is full.</summary>
    public const string InstancePrefix = FunctionPrefix + "/instances/{instance}";
    public const string InstanceNext = InstancePrefix + "/2020-11-11/runtime/invocation/next";
    public const string InstanceResponse = InstancePrefix + "/2020-11-11/runtime/invocation/{id}/response";
    public const string InstanceError = InstancePrefix + "/2020-11-11/runtime/invocation/{id}/error";

}
