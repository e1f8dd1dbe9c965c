using FcGateway.Buffers;
using FcGateway.Dialects.FcV1.Events;
using FcGateway.Dialects.FcV1.Output;
using FcGateway.Dispatch.Push;

namespace FcGateway.Dialects.ApiGatewayV1;

/// <summary>
/// API Gateway's payload format 1.0, for a Lambda function whose handler was written for a REST API's proxy
/// integration (aws-lambda-go's <c>events.APIGatewayProxyRequest</c>): its event, and its response rules — FC's output
/// rules (§3) plus <c>multiValueHeaders</c>, each value a header line, and an output that is no response object is a bad
/// response, as API Gateway answers it with 502.
/// </summary>
internal sealed class ApiGatewayV1Dialect : IFunctionDialect
{
    private static readonly OutputRules Rules = new() { MultiValueHeaders = true, RequiresResponseObject = true };

    /// <summary>A request without a body, as API Gateway writes it: <c>null</c>, not base64.</summary>
    private static ReadOnlySpan<byte> NoBody => ",\"body\":null,\"isBase64Encoded\":false}"u8;

    public WorkerPayload CreatePayload(in EventRequest request, PooledBuffer head)
    {
        var base64 = ApiGatewayV1EventWriter.WriteHead(head, request);
        if (request.Body.IsEmpty)
        {
            head.Write(NoBody);
            return new BufferPayload(head.WrittenMemory);
        }

        return new EventContent(head, request.Body, base64);
    }

    public OutputTranslation TranslateOutput(Memory<byte> output, IHeaderDictionary headers, int maxHeaderBytes) =>
        WorkerOutputTranslator.Translate(output, headers, maxHeaderBytes, Rules);
}
