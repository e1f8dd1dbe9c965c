using System.Net;
using System.Net.Http.Headers;
using FcGateway.Configuration;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch.Push;

/// <summary>Builds the requests the gateway sends to workers: <c>POST /invoke</c>, <c>POST /initialize</c> and <c>GET /pre-stop</c>.</summary>
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

    /// <summary>The pre-stop call of a retired instance: no body, at the address it had, over its cluster's settings then.</summary>
    public static HttpRequestMessage CreatePreStop(PushedInstance instance, string requestId)
    {
        var request = Create(HttpMethod.Get, instance.Cluster, WorkerEndpoint.For(instance.Destination).PreStopUri);
        AddCommonHeaders(request.Headers, requestId, instance.FunctionName, instance.Function, instance.Gateway, "/pre-stop");
        return request;
    }

    private static HttpRequestMessage Create(FunctionInvocation invocation, Uri uri, string controlPath)
    {
        var request = Create(HttpMethod.Post, invocation.Cluster, uri);
        AddCommonHeaders(
            request.Headers, invocation.RequestId, invocation.FunctionName, invocation.Function, invocation.Gateway, controlPath, invocation.RetryCount);
        return request;
    }

    private static HttpRequestMessage Create(HttpMethod method, ClusterModel cluster, Uri uri)
    {
        var requestConfig = cluster.Config.HttpRequest;
        return new HttpRequestMessage(method, uri)
        {
            Version = requestConfig?.Version ?? HttpVersion.Version20,
            VersionPolicy = requestConfig?.VersionPolicy ?? HttpVersionPolicy.RequestVersionOrLower,
        };
    }

    /// <summary>
    /// Adds FC's request headers (wire contract §2: on every call) for a call on <paramref name="controlPath"/>. The
    /// initializer's name is empty for a function that declares none.
    /// </summary>
    public static void AddCommonHeaders(
        HttpRequestHeaders headers, string requestId, string functionName, FunctionSettings function, GatewaySettings gateway, string controlPath, int retryCount = 0)
    {
        var sink = new RequestHeaderSink(headers);
        FcInvocationHeaders.Write(ref sink, requestId, functionName, function, gateway, retryCount);
        headers.TryAddWithoutValidation(WorkerHeaderNames.FunctionInitializer, function.Initializer ? function.InitializerHandler : "");
        headers.TryAddWithoutValidation(WorkerHeaderNames.InitializationTimeout, FcInvocationHeaders.WholeSeconds(function.InitializationTimeout));
        headers.TryAddWithoutValidation(WorkerHeaderNames.ControlPath, controlPath);
    }

    private readonly struct RequestHeaderSink(HttpRequestHeaders headers) : FcInvocationHeaders.ISink
    {
        public void Add(string name, string value) => headers.TryAddWithoutValidation(name, value);
    }
}
