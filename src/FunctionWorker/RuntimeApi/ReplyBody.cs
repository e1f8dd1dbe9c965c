using FcWorker.Responses;

namespace FcWorker.RuntimeApi;

/// <summary>
/// What a reply posts: its bytes, or a stream of unknown length sent in chunks (and disposed once sent); and, for a
/// function's output, the output they come from, whose rented array a post must keep from the pool while it may still
/// read them.
/// </summary>
internal readonly record struct ReplyBody(string? ContentType, ReadOnlyMemory<byte> Bytes, Stream? Stream = null, FunctionOutput? Output = null)
{
    public static ReplyBody Of(FunctionOutput output) => new(output.ContentType, output.Bytes, output.Stream, output);
}
