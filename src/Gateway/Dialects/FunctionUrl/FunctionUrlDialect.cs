using FcGateway.Buffers;
using FcGateway.Dialects.FcV1.Events;
using FcGateway.Dialects.FcV1.Output;
using FcGateway.Dispatch.Push;

namespace FcGateway.Dialects.FunctionUrl;

/// <summary>
/// AWS Lambda's function URL dialect (wire contract §14): the payload format 2.0 event, and the function URL response
/// rules — FC's output rules (§3) plus <c>cookies</c>, each a <c>Set-Cookie</c> header.
/// </summary>
internal sealed class FunctionUrlDialect : IFunctionDialect
{
    private static readonly OutputRules Rules = new() { CookiesAreSetCookieHeaders = true, StatusCodeMayBeDigitString = true };

    public WorkerPayload CreatePayload(in EventRequest request, PooledBuffer head)
    {
        var base64 = FunctionUrlEventWriter.WriteHead(head, request);
        return new EventContent(head, request.Body, base64);
    }

    public OutputTranslation TranslateOutput(Memory<byte> output, IHeaderDictionary headers, int maxHeaderBytes) =>
        WorkerOutputTranslator.Translate(output, headers, maxHeaderBytes, Rules);
}
