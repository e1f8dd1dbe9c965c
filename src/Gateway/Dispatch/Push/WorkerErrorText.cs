using System.Text;
using FcGateway.Buffers;
using FcGateway.Outcomes;

namespace FcGateway.Dispatch.Push;

/// <summary>A worker's error body as log text, bounded so a huge body cannot flood the log.</summary>
internal static class WorkerErrorText
{
    /// <summary>
    /// Under the log's bound for the line's one field of worker text (<see cref="LogText.MaxTextLength"/>), with room for
    /// the reason before the body and the mark after it: a body of plain text cut here keeps its mark, its size in bytes,
    /// where the log's own cut would drop it.
    /// </summary>
    private const int MaxBytes = LogText.MaxTextLength - 256;

    public static string From(ReadOnlySpan<byte> body) =>
        body.Length <= MaxBytes
            ? Encoding.UTF8.GetString(body)
            : Encoding.UTF8.GetString(body[..MaxBytes]) + $"… ({body.Length} bytes in all)";

    /// <summary>A function error for the log: its body, or the type the worker gave outside an empty body (Lambda's header or trailer).</summary>
    public static string From(InvocationResult result, ReadOnlySpan<byte> body) =>
        body.IsEmpty && result.ErrorType is { } errorType ? $"(no body; error type {errorType})" : From(body);

    /// <summary>Why an invocation did not succeed, for the log: its reason and, for a function error, the worker's error body.</summary>
    public static string Reason(InvocationResult result, PooledBuffer? output) =>
        result.Outcome == Outcome.FunctionError && output is not null
            ? $"{result.Reason} Error body: {From(result, output.WrittenSpan)}"
            : result.Reason;
}
