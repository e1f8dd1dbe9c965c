using System.Numerics;

namespace FcGateway.Dispatch.Push;

/// <summary>
/// When a worker reply's Content-Length frames its body (RFC 9112 §6.3): every value of every field line is a length
/// (digits, within a long) and all are the same number. One rule for both clients — the gateway's own reads the bytes of
/// the head (<c>byte</c>), HttpClient's path the header values it parsed (<c>char</c>) — so a reply is judged alike
/// whichever carried it. HttpClient itself frames a body by the first field, or by the connection's end for a value it
/// cannot read; a proxy discards such a reply instead, since which length holds decides what the body is.
/// </summary>
internal static class ContentLengthRule
{
    public enum State
    {
        Absent,
        One,
        Conflicting,
        Invalid,
    }

    /// <summary>Takes one field line's value (<c>5</c>, or a list <c>5, 5</c>) into the state of the lines read before it.</summary>
    /// <param name="value">The line's value.</param>
    /// <param name="state">What the lines before said.</param>
    /// <param name="length">The length, once <see cref="State.One"/>.</param>
    public static State Read<T>(ReadOnlySpan<T> value, State state, ref long length)
        where T : unmanaged, IBinaryInteger<T>
    {
        foreach (var range in value.Split(T.CreateTruncating(',')))
        {
            if (!TryParse(FieldValueSpaces.Trim(value[range]), out var number))
            {
                return State.Invalid;
            }

            if (state == State.Absent)
            {
                state = State.One;
                length = number;
            }
            else if (state == State.One && number != length)
            {
                state = State.Conflicting;
            }
        }

        return state;
    }

    /// <summary>Why the lengths cannot frame the body, for the log (<paramref name="values"/>: the field's values as sent), else null.</summary>
    public static string? Describe(State state, string values) => state switch
    {
        State.Invalid => $"an invalid Content-Length ({values})",
        State.Conflicting => $"conflicting Content-Length values ({values})",
        _ => null,
    };

    private static bool TryParse<T>(ReadOnlySpan<T> digits, out long number)
        where T : unmanaged, IBinaryInteger<T>
    {
        number = 0;
        if (digits.IsEmpty)
        {
            return false;
        }

        foreach (var digit in digits)
        {
            var value = int.CreateTruncating(digit) - '0';
            if (value is < 0 or > 9 || number > (long.MaxValue - value) / 10)
            {
                return false;
            }

            number = (number * 10) + value;
        }

        return true;
    }
}
