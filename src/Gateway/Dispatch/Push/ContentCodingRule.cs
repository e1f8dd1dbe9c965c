using System.Numerics;

namespace FcGateway.Dispatch.Push;

/// <summary>
/// A worker reply's body is the function's output (or error) as it is: the gateway asks for no content coding and decodes
/// none, so a <c>Content-Encoding</c> other than <c>identity</c> makes the reply a bad response, its body never parsed as
/// JSON nor passed on as bytes a client could not read. A reply that has no body (a 204, a 304) has nothing coded: its
/// Content-Encoding is left alone, and the reply judged as one without it. One rule for both clients — the gateway's own reads the bytes of
/// the head (<c>byte</c>), HttpClient's path (whose handler, as YARP makes it, decompresses nothing) the header values
/// (<c>char</c>) — so a reply is judged alike whichever carried it.
/// </summary>
internal static class ContentCodingRule
{
    /// <summary>
    /// Whether a reply of <paramref name="statusCode"/> can have a body for a coding to apply to: a 204 or a 304 has none,
    /// whatever its head says (RFC 9110 §6.4.1), and both clients read none for it.
    /// </summary>
    public static bool AppliesTo(int statusCode) => statusCode is not (204 or 304);

    /// <summary>Whether one field line's value (a comma list) names no coding but <c>identity</c>; an empty one names none.</summary>
    public static bool IsIdentity<T>(ReadOnlySpan<T> value)
        where T : unmanaged, IBinaryInteger<T>
    {
        foreach (var range in value.Split(T.CreateTruncating(',')))
        {
            var coding = FieldValueSpaces.Trim(value[range]);
            if (!coding.IsEmpty && !IsIdentityToken(coding))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Why the body cannot be the output, for the log (<paramref name="values"/>: the field's values as sent).</summary>
    public static string Describe(string values) => $"a Content-Encoding ({values}), which the gateway does not decode";

    private static bool IsIdentityToken<T>(ReadOnlySpan<T> coding)
        where T : unmanaged, IBinaryInteger<T>
    {
        const string Identity = "identity";
        if (coding.Length != Identity.Length)
        {
            return false;
        }

        for (var i = 0; i < Identity.Length; i++)
        {
            if ((int.CreateTruncating(coding[i]) | 0x20) != Identity[i])
            {
                return false;
            }
        }

        return true;
    }
}
