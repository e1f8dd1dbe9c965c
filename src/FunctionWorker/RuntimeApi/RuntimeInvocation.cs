using System.Globalization;
using System.IO.Pipelines;
using FcWorker.Invocation;
using Microsoft.AspNetCore.Http;

namespace FcWorker.RuntimeApi;

/// <summary>One call handed out by <c>next</c>: its request id, its type, its headers and payload; disposing it releases the answer.</summary>
internal sealed class RuntimeInvocation : IAsyncDisposable
{
    private const int MinReadSize = 4096;
    private const int MaxReadSize = 64 * 1024;

    private readonly RuntimeApiAnswer _answer;
    private readonly IHeaderDictionary _headers;
    private readonly PipeReader _payload;

    private RuntimeInvocation(RuntimeApiAnswer answer, string requestId, IHeaderDictionary headers, PipeReader payload)
    {
        _answer = answer;
        RequestId = requestId;
        _headers = headers;
        _payload = payload;
    }

    public string RequestId { get; }

    public RuntimeFunctionType FunctionType =>
        int.TryParse(_headers[FcHeaderNames.FunctionType].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var type)
        && Enum.IsDefined((RuntimeFunctionType)type)
            ? (RuntimeFunctionType)type
            : RuntimeFunctionType.Handler;

    /// <summary>
    /// Takes over a 200 answer of <c>next</c> that carries a request id (the caller checks both). Not cancellable: once
    /// the runtime API has handed a call out, the worker answers it, even while stopping.
    /// </summary>
    public static RuntimeInvocation Read(RuntimeApiAnswer answer, string requestId)
    {
        var payload = PipeReader.Create(answer.Body, new StreamPipeReaderOptions(bufferSize: ReadSize(answer.ContentLength)));
        return new RuntimeInvocation(answer, requestId, answer.Headers, payload);
    }

    /// <summary>
    /// How much the payload is read at a time: its length, from the pipe's default 4 KiB up to 64 KiB. A read that large
    /// goes to the socket in one call, where 4 KiB blocks took a 64 KiB binary event (88 KB of JSON) 25 receive calls.
    /// </summary>
    internal static int ReadSize(long? contentLength) => (int)Math.Clamp(contentLength ?? 0, MinReadSize, MaxReadSize);

    /// <summary>The call as the shared pipeline sees it; nobody waits on a connection for its reply, so only its deadline cancels it.</summary>
    public PlatformCall ToCall(IPlatformReply reply) =>
        new(_headers, _payload, _answer.ContentLength, reply, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _payload.CompleteAsync().ConfigureAwait(false);
        _answer.Dispose();
    }
}
