using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;

namespace FcWorker.Invocation;

/// <summary>
/// One call from the platform, whichever way it came (pushed to the worker's HTTP endpoint, or pulled from the
/// runtime API): its <c>x-fc-*</c> headers, its payload, and where its reply goes.
/// </summary>
internal sealed class PlatformCall(IHeaderDictionary headers, PipeReader payload, long? payloadLength, IPlatformReply reply, CancellationToken callerGone)
{
    public IHeaderDictionary Headers { get; } = headers;

    /// <summary>The event bytes; read only by a handler that takes an event.</summary>
    public PipeReader Payload { get; } = payload;

    public long? PayloadLength { get; } = payloadLength;

    public IPlatformReply Reply { get; } = reply;

    /// <summary>Fires when the caller stops waiting for the reply; a pulled call has no such caller, only its deadline.</summary>
    public CancellationToken CallerGone { get; } = callerGone;
}
