using FcGateway.Configuration;
using FcGateway.Dispatch.Push;

namespace FcGateway.Dispatch;

/// <summary>
/// FC's invocation headers that both transports send: on a pushed <c>POST /invoke</c> (wire contract §2) and on a pulled
/// invocation's <c>next</c> answer (§13). Written through a struct <see cref="ISink"/>, so neither pays for a delegate.
/// </summary>
internal static class FcInvocationHeaders
{
    /// <summary>Where the headers go: a request to a worker, or a response to a poll.</summary>
    public interface ISink
    {
        void Add(string name, string value);
    }

    /// <summary>The headers, <c>x-fc-retry-count</c> being how many times the invocation failed in the function before.</summary>
    public static void Write<TSink>(ref TSink sink, string requestId, string functionName, FunctionSettings function, GatewaySettings gateway, int retryCount)
        where TSink : struct, ISink
    {
        sink.Add(WorkerHeaderNames.RequestId, requestId);
        sink.Add(WorkerHeaderNames.FunctionName, functionName);
        sink.Add(WorkerHeaderNames.FunctionMemory, HeaderNumbers.Format(function.MemorySize));
        sink.Add(WorkerHeaderNames.FunctionTimeout, WholeSeconds(function.Timeout));
        sink.Add(WorkerHeaderNames.FunctionHandler, function.Handler);
        sink.Add(WorkerHeaderNames.Region, gateway.Region);
        sink.Add(WorkerHeaderNames.AccountId, gateway.AccountId);
        sink.Add(WorkerHeaderNames.Qualifier, function.Qualifier);
        sink.Add(WorkerHeaderNames.VersionId, function.VersionId);
        sink.Add(WorkerHeaderNames.RetryCount, HeaderNumbers.Format(retryCount));
        var credentials = function.Credentials;
        if (credentials.AccessKeyId is { } id)
        {
            sink.Add(WorkerHeaderNames.AccessKeyId, id);
        }

        if (credentials.AccessKeySecret is { } secret)
        {
            sink.Add(WorkerHeaderNames.AccessKeySecret, secret);
        }

        if (credentials.SecurityToken is { } token)
        {
            sink.Add(WorkerHeaderNames.SecurityToken, token);
        }
    }

    /// <summary>FC sends timeouts in whole seconds; a fraction rounds up so the worker never gets less time than the gateway allows.</summary>
    public static string WholeSeconds(TimeSpan timeout) => HeaderNumbers.Format((long)Math.Ceiling(timeout.TotalSeconds));
}
