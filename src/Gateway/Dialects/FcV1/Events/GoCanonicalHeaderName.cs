namespace FcGateway.Dialects.FcV1.Events;

/// <summary>
/// Go's canonical header form, which FC 3.0 uses for event header keys: the first letter and every letter
/// after a hyphen upper-case, every other letter lower-case (<c>x-custom-header</c> → <c>X-Custom-Header</c>).
/// </summary>
internal static class GoCanonicalHeaderName
{
    /// <summary>Writes the canonical form of <paramref name="name"/> into <paramref name="destination"/>, which must be as long.</summary>
    public static void Write(ReadOnlySpan<char> name, Span<char> destination)
    {
        var upper = true;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            destination[i] = upper ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c);
            upper = c == '-';
        }
    }
}
