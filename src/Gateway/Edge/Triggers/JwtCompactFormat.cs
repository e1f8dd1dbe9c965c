using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace FcGateway.Edge.Triggers;

/// <summary>
/// The rules of RFC 7515 and RFC 7519 that IdentityModel leaves unchecked, checked before it validates a token: three
/// segments of base64url without padding (IdentityModel decodes <c>=</c> padding too); no <c>crit</c> header
/// parameter, since the gateway understands no extension and RFC 7515 §4.1.11 says a token naming one must be
/// refused; and <c>exp</c>, <c>nbf</c> and <c>iat</c>, when present, JSON numbers (RFC 7519 NumericDate;
/// IdentityModel reads <c>"exp":"1700000000"</c> as a number).
/// </summary>
internal static class JwtCompactFormat
{
    /// <summary>Segments up to this many decoded bytes are decoded on the stack; a longer one uses a pooled array.</summary>
    private const int StackBufferBytes = 1024;

    private const string Malformed = "it is not a well-formed JWT";

    private static readonly SearchValues<char> CompactChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");

    /// <summary>Why <paramref name="token"/> breaks one of these rules, in a few words for the log; null when it breaks none.</summary>
    public static string? FindViolation(string token)
    {
        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        var secondDot = firstDot < 0 ? -1 : token.IndexOf('.', firstDot + 1);
        if (secondDot < 0 || token.IndexOf('.', secondDot + 1) >= 0)
        {
            return "it is not three segments (a signed JWT)";
        }

        if (token.AsSpan().ContainsAnyExcept(CompactChars))
        {
            return "a segment is not base64url without padding";
        }

        return CheckSegment(token.AsSpan(0, firstDot), isHeader: true)
            ?? CheckSegment(token.AsSpan(firstDot + 1, secondDot - firstDot - 1), isHeader: false);
    }

    private static string? CheckSegment(ReadOnlySpan<char> segment, bool isHeader)
    {
        var maxLength = Base64Url.GetMaxDecodedLength(segment.Length);
        byte[]? rented = null;
        var buffer = maxLength <= StackBufferBytes ? stackalloc byte[StackBufferBytes] : (rented = ArrayPool<byte>.Shared.Rent(maxLength));
        try
        {
            if (Base64Url.DecodeFromChars(segment, buffer, out _, out var length) != OperationStatus.Done)
            {
                return Malformed;
            }

            return isHeader ? CheckHeader(buffer[..length]) : CheckPayload(buffer[..length]);
        }
        catch (JsonException)
        {
            return Malformed;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static string? CheckHeader(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return Malformed;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("crit"u8))
            {
                return "its header has crit: it needs an extension the gateway does not understand";
            }

            reader.Read();
            reader.Skip();
        }

        return null;
    }

    private static string? CheckPayload(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return Malformed;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var numericDate = reader.ValueTextEquals("exp"u8) ? "exp"
                : reader.ValueTextEquals("nbf"u8) ? "nbf"
                : reader.ValueTextEquals("iat"u8) ? "iat"
                : null;
            reader.Read();
            if (numericDate is not null && reader.TokenType != JsonTokenType.Number)
            {
                return $"its {numericDate} is not a number";
            }

            reader.Skip();
        }

        return null;
    }
}
