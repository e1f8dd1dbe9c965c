
namespace FcGateway.Edge.InvokeApi;

/// <summary>The route of FC 3.0's InvokeFunction: <c>POST /2023-03-30/functions/{functionName}/invocations</c>.</summary>
internal static class InvokeApiPaths
{
    public const string Pattern = "/2023-03-30/functions/{functionName}/invocations";
}
