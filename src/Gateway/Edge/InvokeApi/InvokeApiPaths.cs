
namespace FcGateway.Edge.InvokeApi;

/// <summary>The route of FC 3.0's InvokeFunction: <c>POST /2023-03-30/functions/{functionName}/invocations</c>.</summary>
internal static class InvokeApiPaths
{
    public const string Pattern = "/2023-03-30/functions/{functionName}/invocations";

    /// <summary>The methods the path answers with 405 and <c>Allow: POST</c>.</summary>
    public static readonly string[] OtherMethods =
        [HttpMethods.Get, HttpMethods.Head, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Patch, HttpMethods.Options];
}
