using System.Numerics;

namespace FcGateway.Dispatch.Push;

/// <summary>
/// White space around an item of a worker reply's field value, as both worker clients read it: a space or a tab, and a
/// NUL or a CR, which HttpClient stores as a space. Over the head's bytes (<c>byte</c>) or HttpClient's values (<c>char</c>).
/// </summary>
internal static class FieldValueSpaces
{
    public static ReadOnlySpan<T> Trim<T>(ReadOnlySpan<T> text)
        where T : unmanaged, IBinaryInteger<T>
    {
        while (!text.IsEmpty && IsSpace(text[0]))
        {
            text = text[1..];
        }

        while (!text.IsEmpty && IsSpace(text[^1]))
        {
            text = text[..^1];
        }

        return text;
    }

    private static bool IsSpace<T>(T character)
        where T : unmanaged, IBinaryInteger<T> =>
        int.CreateTruncating(character) is ' ' or '\t' or '\0' or '\r';
}
