using System.Text;

namespace FcGateway;

/// <summary>
/// Makes client-controlled text safe to write into a log line: control characters (CR and LF above all, which
/// would start a forged line) and the other characters a terminal or log parser could act on are written as
/// <c>\u00XX</c> escapes. Text without any is returned as it is, without allocating.
/// </summary>
internal static class LogText
{
    /// <summary>
    /// The most UTF-8 bytes of one field of client text in a line (<see cref="EscapeField"/>), escapes included: the access
    /// line, with three such fields, stays under the 16 KB at which container runtimes split a line (whose continuation
    /// would be a record of its own that starts with the client's text), in the JSON console format too, which writes
    /// each field twice and doubles each escape's backslash. Bytes, not characters: a character may take three.
    /// </summary>
    public const int MaxFieldLength = 2048;

    /// <summary>
    /// The most UTF-8 bytes of worker or process text that is its line's one field of the kind (<see cref="EscapeText"/>:
    /// a line of a function's output, a worker's error body), escapes included: under the same 16 KB in the JSON format,
    /// and a function's long structured log lines come through whole more often than at <see cref="MaxFieldLength"/>.
    /// </summary>
    public const int MaxTextLength = 4096;

    /// <summary>The length of one escape, <c>\u000d</c>.</summary>
    private const int EscapeLength = 6;

    /// <summary>The most UTF-8 bytes one UTF-16 unit takes.</summary>
    private const int MaxBytesPerUnit = 3;

    /// <summary>
    /// <see cref="Escape"/>, cut to <see cref="MaxFieldLength"/> bytes, at a whole escape and a whole character, and then
    /// marked with the length of the text: for client text that only the server's own limits bound (the request line,
    /// the headers), which let through four times the gateway's so that it can answer with its own error.
    /// </summary>
    public static string EscapeField(string text) => Bounded(text, MaxFieldLength, isHead: false);

    /// <summary>
    /// <see cref="Escape"/> cut to <see cref="MaxTextLength"/> bytes, for what workers and function processes write (an
    /// error body, a line of output), which may echo the client's control characters, each six characters once escaped.
    /// </summary>
    public static string EscapeText(string text) => Bounded(text, MaxTextLength, isHead: false);

    /// <summary>
    /// <see cref="EscapeText"/> of the names a worker gave, quoted and listed on one line: a thousand invalid header
    /// names make one bounded line, not a thousand lines.
    /// </summary>
    public static string EscapeNames(IEnumerable<string> names) => EscapeText(string.Join(", ", names.Select(name => $"'{name}'")));

    /// <summary>
    /// <see cref="EscapeText"/> of the head of a text whose rest was dropped before it came here (a line a process wrote,
    /// cut where it was read): always marked, with <c>more than</c> the head's length.
    /// </summary>
    public static string EscapeHead(string head) => Bounded(head, MaxTextLength, isHead: true);

    private static string Bounded(string text, int maxBytes, bool isHead)
    {
        var escaped = Escape(text);
        var cut = escaped.Length * MaxBytesPerUnit <= maxBytes ? escaped.Length : CutWithin(escaped, maxBytes);
        if (cut == escaped.Length && !isHead)
        {
            return escaped;
        }

        if (cut < escaped.Length)
        {
            // An escape that the cut would split is left out whole.
            var lastBackslash = escaped.LastIndexOf('\\', cut - 1, Math.Min(EscapeLength - 1, cut));
            cut = lastBackslash >= 0 ? lastBackslash : cut;
        }

        return $"{escaped.AsSpan(0, cut)}… ({(isHead ? "more than " : "")}{text.Length} characters in all)";
    }

    /// <summary>How many UTF-16 units of <paramref name="text"/> fit in <paramref name="maxBytes"/> of UTF-8, never half a character of two units.</summary>
    private static int CutWithin(string text, int maxBytes)
    {
        var bytes = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            bytes += pair ? 4 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            if (bytes > maxBytes)
            {
                return i;
            }

            i += pair ? 1 : 0;
        }

        return text.Length;
    }

    public static string Escape(string text)
    {
        var first = IndexOfUnsafe(text);
        if (first < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        escaped.Append(text, 0, first);
        foreach (var c in text.AsSpan(first))
        {
            if (IsUnsafe(c))
            {
                escaped.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    private static int IndexOfUnsafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsUnsafe(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidirectional formatting characters
    /// (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069), which make a viewer show text in another order than it is.
    /// </summary>
    private static bool IsUnsafe(char c) =>
        c < ' ' || c is >= '\u007f' and <= '\u009f' || c is '\u2028' or '\u2029'
        || c is '\u061c' or '\u200e' or '\u200f' || c is >= '\u202a' and <= '\u202e' || c is >= '\u2066' and <= '\u2069';
}
