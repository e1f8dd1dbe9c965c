using FcGateway.Buffers;
using FcGateway.Dispatch.Push;

namespace FcGateway.Dialects;

/// <summary>
/// How a function expects to be invoked through an HTTP trigger: the payload an HTTP request becomes, and how the
/// function's output becomes the response. FC's v1 event (<see cref="FcV1.FcV1Dialect"/>), AWS Lambda's function URL
/// event (<see cref="FunctionUrl.FunctionUrlDialect"/>) and API Gateway's payload format 1.0
/// (<see cref="ApiGatewayV1.ApiGatewayV1Dialect"/>); <see cref="FunctionDialects"/> chooses one per function, the
/// transport (push, web) is not its business.
/// </summary>
internal interface IFunctionDialect
{
    /// <summary>Writes the payload of one invocation: its head into <paramref name="head"/>, the body streamed after it.</summary>
    /// <param name="request">What the edge gathered from the HTTP request.</param>
    /// <param name="head">A pooled buffer the payload keeps until the worker call has stopped reading it.</param>
    WorkerPayload CreatePayload(in EventRequest request, PooledBuffer head);

    /// <summary>Turns the function's output into a response description, writing the response headers it carries.</summary>
    /// <param name="output">The output bytes; the dialect may decode bodies in place.</param>
    /// <param name="headers">Receives the response headers.</param>
    /// <param name="maxHeaderBytes">The response header limit; more is a bad response.</param>
    OutputTranslation TranslateOutput(Memory<byte> output, IHeaderDictionary headers, int maxHeaderBytes);
}
