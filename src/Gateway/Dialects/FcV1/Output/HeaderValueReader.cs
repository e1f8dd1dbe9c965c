using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Primitives;

namespace FcGateway.Dialects.FcV1.Output;

/// <summary>
/// Reads one value of a function's <c>headers</c> object: a string, a number or boolean (as its text), or
/// an array of those, which becomes one header line per element (several <c>Set-Cookie</c>).
/// </summary>
internal static class HeaderValueReader
{
    private static readonly char[] FieldWhitespace = [' ', '\t'];

    /// <summary>False for a value that cannot be a header (an object, an array holding one, or a string that is not text); it is skipped.</summary>
    public static bool TryRead(ref Utf8JsonReader reader, out StringValues values)
    {
        values = StringValues.Empty;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.StartArray:
                return TryReadArray(ref reader, out values);
            case JsonTokenType.StartObject:
                reader.Skip();
                return false;
            default:
                if (!TryReadScalar(ref reader, out var value))
                {
                    return false;
                }

                values = value;
                return true;
        }
    }

    /// <summary>
    /// Reads a string as text, false when it holds an unpaired surrogate escape (<c>"\ud800"</c>): valid JSON
    /// syntax that no UTF-16 or UTF-8 text can represent.
    /// </summary>
    public static bool TryGetString(ref Utf8JsonReader reader, [NotNullWhen(true)] out string? text)
    {
        try
        {
            text = reader.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
    }

    private static bool TryReadArray(ref Utf8JsonReader reader, out StringValues values)
    {
        var list = new List<string>();
        var valid = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
                valid = false;
            }
            else if (reader.TokenType != JsonTokenType.Null)
            {
                if (TryReadScalar(ref reader, out var value))
                {
                    list.Add(value);
                }
                else
                {
                    valid = false;
                }
            }
        }

        values = valid ? new StringValues([.. list]) : StringValues.Empty;
        return valid;
    }

    /// <summary>
    /// A string is trimmed of the spaces and tabs around it: they are not part of a field value (RFC 9110 §5.5), and an
    /// HTTP/2 field that has them is malformed (RFC 9113 §8.2.1), which clients drop or reset the stream over.
    /// </summary>
    private static bool TryReadScalar(ref Utf8JsonReader reader, [NotNullWhen(true)] out string? text)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (!TryGetString(ref reader, out text))
            {
                return false;
            }

            text = text.Trim(FieldWhitespace);
            return true;
        }

        text = Encoding.UTF8.GetString(reader.ValueSpan);
        return true;
    }
}
