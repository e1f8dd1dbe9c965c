namespace FcWorker.RuntimeApi;

/// <summary>What a reply posts: its bytes, or a stream of unknown length sent in chunks (and disposed once sent).</summary>
internal readonly record struct ReplyBody(string? ContentType, ReadOnlyMemory<byte> Bytes, Stream? Stream = null);
