using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Primitives;

namespace FcGateway.Output;

/// <summary>
/// Reads one value of a function's <c>headers</c> object: a string, a number or boolean (as its text), or
/// an array of those, which becomes one header line per element (several <c>Set-Cookie</c>).
/// </summary>
internal static class HeaderValueReader
{
    /// <summary>False for a value that cannot be a header (an object, or an array holding one); it is skipped.</summary>
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
                values = ScalarText(ref reader);
                return true;
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
                list.Add(ScalarText(ref reader));
            }
        }

        values = valid ? new StringValues([.. list]) : StringValues.Empty;
        return valid;
    }

    private static string ScalarText(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString()! : Encoding.UTF8.GetString(reader.ValueSpan);
}
