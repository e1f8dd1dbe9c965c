using FcGateway.Buffers;
using FcGateway.Dialects.FcV1.Events;
using FcGateway.Dialects.FcV1.Output;
using FcGateway.Dispatch.Push;

namespace FcGateway.Dialects.ApiGatewayV1;

/// <summary>
/// API Gateway's payload format 1.0, for a Lambda function whose handler was written for a REST API's proxy
/// integration (aws-lambda-go's <c>events.APIGatewayProxyRequest</c>): its event, and its response rules — FC's output
/// rules (§3) plus <c>multiValueHeaders</c>, each value a header line.
/// </summary>
internal sealed class ApiGatewayV1Dialect : IFunctionDialect
{
    private static readonly OutputRules Rules = new() { MultiValueHeaders = true };

    public WorkerPayload CreatePayload(in EventRequest request, PooledBuffer head)
    {
        var base64 = ApiGatewayV1EventWriter.WriteHead(head, request);
        return new EventContent(head, request.Body, base64);
    }

    public OutputTranslation TranslateOutput(Memory<byte> output, IHeaderDictionary headers, int maxHeaderBytes) =>
        WorkerOutputTranslator.Translate(output, headers, maxHeaderBytes, Rules);
}
