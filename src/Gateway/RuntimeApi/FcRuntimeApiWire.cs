using System.Globalization;
using FcGateway.Configuration;
using FcGateway.Dispatch;
using FcGateway.Dispatch.Pull;
using FcGateway.Dispatch.Push;
using Microsoft.Extensions.Primitives;

namespace FcGateway.RuntimeApi;

/// <summary>FC's runtime API (wire contract §13): FC's invocation headers on <c>next</c>, replies taken with 200.</summary>
internal sealed class FcRuntimeApiWire : RuntimeApiWire
{
    private const string FunctionTypeHeader = "x-fc-function-type";
    private const string DeadlineHeader = "x-fc-function-deadline";

    public override RuntimeApiProtocol Protocol => RuntimeApiProtocol.Fc;

    public override string VersionPath => "/2020-11-11/runtime";

    public override void AcceptReply(HttpResponse response) => response.StatusCode = StatusCodes.Status200OK;

    public override void WriteInvocationHeaders(IHeaderDictionary headers, PulledInvocation invocation)
    {
        var sink = new HeaderSink(headers);
        FcInvocationHeaders.Write(ref sink, invocation.RequestId, invocation.FunctionName, invocation.Function, invocation.Gateway, invocation.RetryCount);
        // Every invocation has a deadline of its own: formatted each time, never kept in HeaderNumbers' cache.
        headers[DeadlineHeader] = invocation.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        headers[FunctionTypeHeader] = invocation.FunctionType;
        if (invocation.TraceContext != default)
        {
            headers[TraceContextHeaders.TraceParent] = TraceContextHeaders.W3C(invocation.TraceContext);
        }

        headers.ContentType = "application/octet-stream";
    }

    private readonly struct HeaderSink(IHeaderDictionary headers) : FcInvocationHeaders.ISink
    {
        public void Add(string name, string value) => headers[name] = new StringValues(value);
    }
}
