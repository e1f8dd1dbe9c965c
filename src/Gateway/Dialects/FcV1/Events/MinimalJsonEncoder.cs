using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;

namespace FcGateway.Dialects.FcV1.Events;

/// <summary>
/// Escapes only what JSON requires — <c>"</c>, <c>\</c> and control characters — with the short forms
/// (<c>\"</c>, <c>\n</c>…), and leaves every other character, non-ASCII included, as UTF-8. The built-in
/// encoders escape HTML-sensitive and non-BMP characters too, which would inflate events of text bodies.
/// </summary>
internal sealed class MinimalJsonEncoder : JavaScriptEncoder
{
    public static readonly MinimalJsonEncoder Instance = new();

    private static readonly SearchValues<byte> Utf8BytesToEscape = SearchValues.Create(JsonEscaping.RequiredBytes());
    private static readonly SearchValues<char> CharsToEscape = SearchValues.Create(Array.ConvertAll(JsonEscaping.RequiredBytes(), b => (char)b));

    private MinimalJsonEncoder()
    {
    }

    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) => unicodeScalar is < 0x20 or '"' or '\\';

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text) => utf8Text.IndexOfAny(Utf8BytesToEscape);

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength) =>
        new ReadOnlySpan<char>(text, textLength).IndexOfAny(CharsToEscape);

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var destination = new Span<char>(buffer, bufferLength);
        ReadOnlySpan<char> escaped = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            _ => default,
        };

        if (!escaped.IsEmpty)
        {
            numberOfCharactersWritten = escaped.Length;
            return escaped.TryCopyTo(destination);
        }

        if (unicodeScalar < 0x20)
        {
            numberOfCharactersWritten = 6;
            return destination.Length >= 6 && $"\\u{unicodeScalar:x4}".AsSpan().TryCopyTo(destination);
        }

        numberOfCharactersWritten = 0;
        if (!Rune.TryCreate(unicodeScalar, out var rune) || !rune.TryEncodeToUtf16(destination, out var written))
        {
            return false;
        }

        numberOfCharactersWritten = written;
        return true;
    }
}
