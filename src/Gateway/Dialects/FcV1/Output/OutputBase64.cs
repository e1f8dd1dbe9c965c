using System.Buffers;
using System.Buffers.Text;

namespace FcGateway.Dialects.FcV1.Output;

/// <summary>
/// Decodes a base64 body as the FC and Lambda runtimes' own decoders do (Go's <c>base64.StdEncoding</c>, Python's
/// <c>b64decode</c>): padded, and with the bits that padding leaves unused in the last character ignored, where .NET's
/// decoder refuses them (<c>aGVsbG9=</c> is <c>hello</c> there, and was sent as the text it is).
/// </summary>
internal static class OutputBase64
{
    private static ReadOnlySpan<byte> Alphabet => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"u8;

    /// <summary>Padding, and the whitespace both decoders skip.</summary>
    private static ReadOnlySpan<byte> PaddingOrWhitespace => "= \t\r\n"u8;

    /// <summary>Characters decoded through a buffer on the stack first, before the bytes written fall behind what is read.</summary>
    private const int FirstBlockChars = 4096;

    /// <summary>Decodes <paramref name="text"/> in place; false, the text as it was, when it is not base64.</summary>
    public static bool TryDecodeInPlace(Span<byte> text, out int decoded)
    {
        decoded = 0;
        if (!Base64.IsValid(text, out var length) && !TryClearUnusedBits(text, out length))
        {
            return false;
        }

        // Whitespace, which both decoders skip, makes the text longer than its bytes need; it is rare enough to go slowly.
        return (length + 2L) / 3 * 4 == text.Length
            ? DecodeForward(text, out decoded)
            : Base64.DecodeFromUtf8InPlace(text, out decoded) == OperationStatus.Done;
    }

    /// <summary>
    /// Decodes valid base64 without whitespace in place, front to back, in blocks whose bytes land wholly before the
    /// characters they come from: the span-to-span decoder works a vector at a time, where
    /// <see cref="Base64.DecodeFromUtf8InPlace"/> works a character at a time. Only the first block, whose bytes would
    /// overlap its own characters, goes through a buffer. Each block after it is as long as the room behind it allows,
    /// three bytes for every four characters, so the blocks grow by a third each time.
    /// </summary>
    private static bool DecodeForward(Span<byte> text, out int decoded)
    {
        Span<byte> first = stackalloc byte[FirstBlockChars / 4 * 3];
        var length = Math.Min(text.Length, FirstBlockChars);
        var status = Base64.DecodeFromUtf8(text[..length], first, out var read, out decoded, isFinalBlock: length == text.Length);
        first[..decoded].CopyTo(text);
        while (status == OperationStatus.Done && read < text.Length)
        {
            var room = read - decoded;
            length = Math.Min(text.Length - read, room / 3 * 4);
            status = Base64.DecodeFromUtf8(
                text.Slice(read, length), text.Slice(decoded, room), out var consumed, out var written, isFinalBlock: read + length == text.Length);
            read += consumed;
            decoded += written;
        }

        return status == OperationStatus.Done && read == text.Length;
    }

    /// <summary>
    /// Clears the unused bits of the character before the padding, when that makes the text valid; whitespace among the
    /// last characters and the padding is skipped, as the decoders skip it.
    /// </summary>
    private static bool TryClearUnusedBits(Span<byte> text, out int decodedLength)
    {
        decodedLength = 0;
        var lastIndex = text.LastIndexOfAnyExcept(PaddingOrWhitespace);
        var padding = lastIndex < 0 ? 0 : text[(lastIndex + 1)..].Count((byte)'=');
        if (padding is not (1 or 2))
        {
            return false;
        }

        ref var last = ref text[lastIndex];
        var value = Alphabet.IndexOf(last);
        if (value < 0)
        {
            return false;
        }

        // Before "==", two characters carry one byte, the second 2 of its bits; before "=", three carry two, the third 4.
        var original = last;
        last = Alphabet[value & (padding == 2 ? 0b110000 : 0b111100)];
        if (last != original && Base64.IsValid(text, out decodedLength))
        {
            return true;
        }

        last = original;
        return false;
    }
}
