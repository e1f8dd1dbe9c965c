using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using FcGateway.Http;

namespace FcGateway.Dialects.FcV1.Output;

/// <summary>Where the response fields of a function's output are, found in one validating pass.</summary>
internal struct OutputFields
{
    private const int MaxStatusDigits = 3;

    /// <summary>The longest JSON text of a three-digit string: each digit written as a <c>\uXXXX</c> escape.</summary>
    private const int MaxEscapedStatusDigitsLength = MaxStatusDigits * 6;

    public int StatusCode;

    /// <summary>
    /// Set when <c>statusCode</c> is present but not a final status, an integer from 200 to 599: a 1xx is an
    /// interim response in HTTP, and sent as the answer it would desynchronise the client's connection.
    /// </summary>
    public string? StatusCodeError;

    public bool HasHeaders;
    public int HeadersStart;

    public bool HasBody;
    public int BodyStart;
    public int BodyLength;
    public bool BodyIsString;
    public bool BodyIsEscaped;

    public bool IsBase64Encoded;

    /// <summary>Whether the output has a <c>multiValueHeaders</c> object (API Gateway's payload format 1.0).</summary>
    public bool HasMultiValueHeaders;
    public int MultiValueHeadersStart;

    /// <summary>Whether the output has a non-null <c>cookies</c> (AWS function URLs, wire contract §14).</summary>
    public bool HasCookies;
    public int CookiesStart;

    /// <summary>
    /// True when <paramref name="output"/> is exactly one JSON object that has a <c>statusCode</c>;
    /// false for any other JSON value and for text that is not JSON, which pass through as they are.
    /// </summary>
    /// <param name="output">The function's output.</param>
    /// <param name="fields">Where its response fields are.</param>
    /// <param name="statusCodeMayBeDigitString">Whether <c>statusCode</c> may be a JSON string of decimal digits (<see cref="OutputRules.StatusCodeMayBeDigitString"/>).</param>
    public static bool TryLocate(ReadOnlySpan<byte> output, out OutputFields fields, bool statusCodeMayBeDigitString = false)
    {
        fields = default;

        // Most raw output (plain text, binary) is recognised here without starting a reader that would throw.
        if (!StartsWithObject(output))
        {
            return false;
        }

        // JSON text is UTF-8 (RFC 8259 §8.1), and Utf8JsonReader does not check the bytes inside strings.
        if (!Utf8.IsValid(output))
        {
            return false;
        }

        var reader = new Utf8JsonReader(output, GatewayJson.ReaderOptions);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var hasStatusCode = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (NameEquals(ref reader, "statusCode"u8))
                {
                    reader.Read();
                    hasStatusCode = true;
                    fields.ReadStatusCode(ref reader, statusCodeMayBeDigitString);
                }
                else if (NameEquals(ref reader, "headers"u8))
                {
                    reader.Read();
                    fields.LocateHeaders(ref reader);
                }
                else if (NameEquals(ref reader, "body"u8))
                {
                    reader.Read();
                    fields.LocateBody(ref reader);
                }
                else if (NameEquals(ref reader, "multiValueHeaders"u8))
                {
                    reader.Read();
                    fields.HasMultiValueHeaders = reader.TokenType == JsonTokenType.StartObject;
                    fields.MultiValueHeadersStart = (int)reader.TokenStartIndex;
                    reader.Skip();
                }
                else if (NameEquals(ref reader, "cookies"u8))
                {
                    reader.Read();
                    fields.LocateCookies(ref reader);
                }
                else if (NameEquals(ref reader, "isBase64Encoded"u8))
                {
                    reader.Read();
                    fields.IsBase64Encoded = reader.TokenType == JsonTokenType.True;
                    reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            // Reading on past the root object throws on trailing content, which makes the output raw text.
            while (reader.Read())
            {
            }

            return hasStatusCode;
        }
        catch (JsonException)
        {
            fields = default;
            return false;
        }
    }

    /// <summary>
    /// False for a property name holding an unpaired surrogate escape (<c>"\udc00"</c>): valid JSON syntax, no field
    /// of ours, and something <see cref="Utf8JsonReader.ValueTextEquals(ReadOnlySpan{byte})"/> throws on.
    /// </summary>
    private static bool NameEquals(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        try
        {
            return reader.ValueTextEquals(name);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool StartsWithObject(ReadOnlySpan<byte> output)
    {
        var start = output.IndexOfAnyExcept(" \t\r\n"u8);
        return start >= 0 && output[start] == (byte)'{';
    }

    private void ReadStatusCode(ref Utf8JsonReader reader, bool mayBeDigitString)
    {
        StatusCodeError = mayBeDigitString && reader.TokenType == JsonTokenType.String
            ? DigitStringStatusCodeFault(ref reader, out var status)
            : StatusCodeFault(ref reader, out status);
        if (StatusCodeError is null)
        {
            StatusCode = status;
        }

        reader.Skip();
    }

    /// <summary>Why <c>statusCode</c> is not a final status, in the words that fit what it is; null when it is one.</summary>
    private static string? StatusCodeFault(ref Utf8JsonReader reader, out int status)
    {
        status = 0;
        if (reader.TokenType != JsonTokenType.Number)
        {
            return "The function's statusCode must be a JSON number, an integer from 200 to 599, not a string or another JSON value.";
        }

        if (reader.ValueSpan.IndexOfAny(".eE"u8) >= 0)
        {
            return "The function's statusCode must be an integer from 200 to 599, written without a fraction or exponent.";
        }

        return !reader.TryGetInt32(out status) ? "The function's statusCode must be from 200 to 599, the final HTTP statuses." : FinalStatusFault(status);
    }

    /// <summary>
    /// Why a <c>statusCode</c> string is not a final status written in decimal digits; null when it is one. The rule
    /// applies to the string's value, so <c>"\u0032\u0030\u0031"</c> is 201; a leading zero (<c>"0201"</c>) is refused.
    /// </summary>
    private static string? DigitStringStatusCodeFault(ref Utf8JsonReader reader, out int status)
    {
        Span<byte> unescaped = stackalloc byte[MaxEscapedStatusDigitsLength];
        var digits = !reader.ValueIsEscaped ? reader.ValueSpan
            : reader.ValueSpan.Length <= MaxEscapedStatusDigitsLength ? unescaped[..reader.CopyString(unescaped)]
            : [];
        if (digits.Length is 0 or > MaxStatusDigits || digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            status = 0;
            return "The function's statusCode must be an integer from 200 to 599, a JSON number or a string of its digits.";
        }

        status = int.Parse(digits, CultureInfo.InvariantCulture);
        return FinalStatusFault(status);
    }

    /// <summary>Why <paramref name="status"/> is not a final HTTP status; null when it is one.</summary>
    private static string? FinalStatusFault(int status) =>
        status is >= 100 and <= 199 ? "The function's statusCode must be from 200 to 599: a final status, not an interim 1xx."
        : status is < 200 or > 599 ? "The function's statusCode must be from 200 to 599, the final HTTP statuses."
        : null;

    private void LocateHeaders(ref Utf8JsonReader reader)
    {
        HasHeaders = reader.TokenType == JsonTokenType.StartObject;
        HeadersStart = (int)reader.TokenStartIndex;
        reader.Skip();
    }

    private void LocateCookies(ref Utf8JsonReader reader)
    {
        HasCookies = reader.TokenType != JsonTokenType.Null;
        CookiesStart = (int)reader.TokenStartIndex;
        reader.Skip();
    }

    private void LocateBody(ref Utf8JsonReader reader)
    {
        HasBody = reader.TokenType != JsonTokenType.Null;
        BodyIsString = reader.TokenType == JsonTokenType.String;
        BodyIsEscaped = BodyIsString && reader.ValueIsEscaped;
        if (BodyIsString)
        {
            BodyStart = (int)reader.TokenStartIndex + 1;
            BodyLength = reader.ValueSpan.Length;
            return;
        }

        BodyStart = (int)reader.TokenStartIndex;
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
            BodyLength = (int)reader.BytesConsumed - BodyStart;
        }
        else
        {
            BodyLength = reader.ValueSpan.Length;
        }
    }
}
