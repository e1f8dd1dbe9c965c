namespace FcGateway.InvokeApi;

/// <summary>The route of FC 3.0's InvokeFunction: <c>POST /2023-03-30/functions/{functionName}/invocations</c>.</summary>
internal static class InvokeApiPaths
{
    public const string Prefix = "/2023-03-30/functions/";
    public const string Pattern = Prefix + "{functionName}/invocations";

    /// <summary>
    /// The API's own request headers start with <c>x-fc-</c> (<c>x-fc-invocation-type</c>, <c>x-fc-log-type</c>),
    /// and nothing of the request but its body reaches a worker, so the client <c>x-fc-*</c> rule does not apply.
    /// </summary>
    public static bool IsInvokeApi(PathString path) => path.StartsWithSegments(Prefix.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
}
