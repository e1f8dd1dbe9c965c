namespace FcWorker.Tests.TestHelpers;

/// <summary>An output stream whose length is not known in advance, so it is sent chunked.</summary>
internal sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
{
    public override bool CanSeek => false;
}
