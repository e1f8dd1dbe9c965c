using System.Buffers.Text;
using System.Diagnostics;
using System.Text;
using FcGateway.Buffers;
using FcGateway.Http;

namespace FcGateway.Dispatch.Push.Http1;

/// <summary>
/// Writes <c>POST /invoke</c> as HTTP/1.1 bytes, head and payload in one buffer, so it goes out in one send: the
/// headers HttpClient would send for it (wire contract §2's, the trace context, Content-Type and Content-Length),
/// values in UTF-8 as function clusters' HttpClient sends them.
/// </summary>
internal static class InvokeRequest
{
    /// <param name="invocation">The function, the instance and the request id.</param>
    /// <param name="activity">The trace context sent, when traces are recorded.</param>
    /// <param name="payload">Written whole after the head: at most <see cref="WorkerConnections.MaxPayloadBytes"/>.</param>
    public static PooledBuffer Write(FunctionInvocation invocation, Activity? activity, WorkerPayload payload)
    {
        var function = invocation.Function;
        var uri = invocation.Endpoint.InvokeUri;
        var request = new PooledBuffer(1024 + (int)payload.Length);
        var sink = new HeadSink(request);
        request.Write("POST "u8);
        sink.WriteText(uri.PathAndQuery);
        request.Write(" HTTP/1.1\r\nHost: "u8);
        sink.WriteText(uri.Authority);
        request.Write("\r\n"u8);
        FcInvocationHeaders.Write(ref sink, invocation.RequestId, invocation.FunctionName, function, invocation.Gateway, invocation.RetryCount);
        sink.Add(WorkerHeaderNames.FunctionInitializer, function.Initializer ? function.InitializerHandler : "");
        sink.Add(WorkerHeaderNames.InitializationTimeout, FcInvocationHeaders.WholeSeconds(function.InitializationTimeout));
        sink.Add(WorkerHeaderNames.ControlPath, "/invoke");
        if (activity is not null)
        {
            DistributedContextPropagator.Current.Inject(activity, request, static (carrier, name, value) =>
            {
                if (value is not null)
                {
                    new HeadSink((PooledBuffer)carrier!).Add(name, value);
                }
            });
        }

        request.Write("Content-Type: application/octet-stream\r\nContent-Length: "u8);
        Utf8Formatter.TryFormat(payload.Length, request.GetSpan(20), out var digits);
        request.Advance(digits);
        request.Write("\r\n\r\n"u8);
        payload.WriteWhole(request);
        return request;
    }

    private readonly struct HeadSink(PooledBuffer request) : FcInvocationHeaders.ISink
    {
        public void Add(string name, string value)
        {
            // HttpClient refuses such a value before sending; a line end in it would start a header of its own.
            if (HttpTokens.HasControlCharacter(value))
            {
                throw new HttpRequestException(HttpRequestError.Unknown, $"The value of the header {name} holds a control character.");
            }

            WriteText(name);
            request.Write(": "u8);
            WriteText(value);
            request.Write("\r\n"u8);
        }

        public void WriteText(string text)
        {
            var span = request.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
            request.Advance(Encoding.UTF8.GetBytes(text, span));
        }
    }
}
