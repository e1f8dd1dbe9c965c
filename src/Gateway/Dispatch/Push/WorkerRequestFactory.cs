using System.Net;
using System.Net.Http.Headers;
using FcGateway.Configuration;

namespace FcGateway.Dispatch.Push;

/// <summary>Builds the requests the gateway sends to workers: <c>POST /invoke</c> and <c>POST /initialize</c>.</summary>
internal static class WorkerRequestFactory
{
    private static readonly MediaTypeHeaderValue OctetStream = new("application/octet-stream");

    /// <param name="invocation">The function and the instance.</param>
    /// <param name="payload">The body of <c>/invoke</c>: the event, or the invocation API's body as it came.</param>
    public static HttpRequestMessage CreateInvoke(FunctionInvocation invocation, HttpContent payload)
    {
        var request = Create(invocation, invocation.Endpoint.InvokeUri, "/invoke");
        request.Content = payload;
        request.Content.Headers.ContentType = OctetStream;
        return request;
    }

    public static HttpRequestMessage CreateInitialize(FunctionInvocation invocation)
    {
        var request = Create(invocation, invocation.Endpoint.InitializeUri, "/initialize");
        request.Content = new ReadOnlyMemoryContent(ReadOnlyMemory<byte>.Empty);
        return request;
    }

    private static HttpRequestMessage Create(FunctionInvocation invocation, Uri uri, string controlPath)
    {
        var requestConfig = invocation.Cluster.Config.HttpRequest;
        var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Version = requestConfig?.Version ?? HttpVersion.Version20,
            VersionPolicy = requestConfig?.VersionPolicy ?? HttpVersionPolicy.RequestVersionOrLower,
        };

        AddCommonHeaders(request.Headers, invocation.RequestId, invocation.FunctionName, invocation.Function, invocation.Gateway, controlPath);
        return request;
    }

    /// <summary>Adds FC's common request headers (wire contract §2) for a call on <paramref name="controlPath"/>.</summary>
    public static void AddCommonHeaders(HttpRequestHeaders headers, string requestId, string functionName, FunctionSettings function, GatewaySettings gateway, string controlPath)
    {
        headers.TryAddWithoutValidation(WorkerHeaderNames.RequestId, requestId);
        headers.TryAddWithoutValidation(WorkerHeaderNames.FunctionName, functionName);
        headers.TryAddWithoutValidation(WorkerHeaderNames.FunctionMemory, HeaderNumbers.Format(function.MemorySize));
        headers.TryAddWithoutValidation(WorkerHeaderNames.FunctionTimeout, WholeSeconds(function.Timeout));
        headers.TryAddWithoutValidation(WorkerHeaderNames.FunctionHandler, function.Handler);
        if (function.Initializer)
        {
            headers.TryAddWithoutValidation(WorkerHeaderNames.FunctionInitializer, function.InitializerHandler);
            headers.TryAddWithoutValidation(WorkerHeaderNames.InitializationTimeout, WholeSeconds(function.InitializationTimeout));
        }

        headers.TryAddWithoutValidation(WorkerHeaderNames.Region, gateway.Region);
        headers.TryAddWithoutValidation(WorkerHeaderNames.AccountId, gateway.AccountId);
        headers.TryAddWithoutValidation(WorkerHeaderNames.Qualifier, function.Qualifier);
        headers.TryAddWithoutValidation(WorkerHeaderNames.VersionId, function.VersionId);
        headers.TryAddWithoutValidation(WorkerHeaderNames.ControlPath, controlPath);
        AddCredentials(headers, function.Credentials);
    }

    private static void AddCredentials(HttpRequestHeaders headers, FunctionCredentials credentials)
    {
        if (credentials.AccessKeyId is { } id)
        {
            headers.TryAddWithoutValidation(WorkerHeaderNames.AccessKeyId, id);
        }

        if (credentials.AccessKeySecret is { } secret)
        {
            headers.TryAddWithoutValidation(WorkerHeaderNames.AccessKeySecret, secret);
        }

        if (credentials.SecurityToken is { } token)
        {
            headers.TryAddWithoutValidation(WorkerHeaderNames.SecurityToken, token);
        }
    }

    /// <summary>FC sends timeouts in whole seconds; a fraction rounds up so the worker never gets less time than the gateway allows.</summary>
    private static string WholeSeconds(TimeSpan timeout) => HeaderNumbers.Format((long)Math.Ceiling(timeout.TotalSeconds));
}
