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

    /// <summary>Decodes <paramref name="text"/> in place; false, the text as it was, when it is not base64.</summary>
    public static bool TryDecodeInPlace(Span<byte> text, out int decoded)
    {
        decoded = 0;
        return (Base64.IsValid(text) || TryClearUnusedBits(text))
            && Base64.DecodeFromUtf8InPlace(text, out decoded) == OperationStatus.Done;
    }

    /// <summary>Clears the unused bits of the character before the padding, when that makes the text valid.</summary>
    private static bool TryClearUnusedBits(Span<byte> text)
    {
        var padding = text is [.., (byte)'=', (byte)'='] ? 2 : text is [.., (byte)'='] ? 1 : 0;
        if (padding == 0 || text.Length < 4)
        {
            return false;
        }

        ref var last = ref text[^(padding + 1)];
        var value = Alphabet.IndexOf(last);
        if (value < 0)
        {
            return false;
        }

        // Before "==", two characters carry one byte, the second 2 of its bits; before "=", three carry two, the third 4.
        var original = last;
        last = Alphabet[value & (padding == 2 ? 0b110000 : 0b111100)];
        if (last != original && Base64.IsValid(text))
        {
            return true;
        }

        last = original;
        return false;
    }
}
