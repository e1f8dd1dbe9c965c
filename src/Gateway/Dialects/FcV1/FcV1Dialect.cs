using FcGateway.Buffers;
using FcGateway.Dialects.FcV1.Events;
using FcGateway.Dialects.FcV1.Output;
using FcGateway.Dispatch.Push;

namespace FcGateway.Dialects.FcV1;

/// <summary>Function Compute 3.0's HTTP-trigger event (wire contract §1) and output rules (§3).</summary>
internal sealed class FcV1Dialect : IFunctionDialect
{
    public WorkerPayload CreatePayload(in EventRequest request, PooledBuffer head)
    {
        var base64 = HttpTriggerEventWriter.WriteHead(head, request);
        return new EventContent(head, request.Body, base64);
    }

    public OutputTranslation TranslateOutput(Memory<byte> output, IHeaderDictionary headers, int maxHeaderBytes) =>
        WorkerOutputTranslator.Translate(output, headers, maxHeaderBytes, OutputRules.FcV1);
}
