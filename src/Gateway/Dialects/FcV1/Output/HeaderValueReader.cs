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

    private static bool TryReadScalar(ref Utf8JsonReader reader, [NotNullWhen(true)] out string? text)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return TryGetString(ref reader, out text);
        }

        text = Encoding.UTF8.GetString(reader.ValueSpan);
        return true;
    }
}
