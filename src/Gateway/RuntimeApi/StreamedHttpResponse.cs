using System.Buffers.Text;
using System.Text.Json;
using System.Text.Unicode;
using FcGateway.Buffers;
using FcGateway.Http;

namespace FcGateway.RuntimeApi;

/// <summary>
/// A function URL response a Lambda function streams (aws-lambda-go's <c>LambdaFunctionURLStreamingResponse</c>, Node's
/// <c>streamifyResponse</c>): content type <c>application/vnd.awslambda.http-integration-response</c>, a JSON prelude
/// (<c>statusCode</c>, <c>headers</c>, <c>cookies</c>), eight zero bytes, then the body. The gateway does not stream it
/// on: it rewrites the whole into the buffered response document, the prelude's fields with the body in base64, so the
/// function URL dialect reads it as any other response.
/// </summary>
internal static class StreamedHttpResponse
{
    public const string ContentType = "application/vnd.awslambda.http-integration-response";

    private static ReadOnlySpan<byte> Separator => [0, 0, 0, 0, 0, 0, 0, 0];

    public static bool IsOne(string? contentType) =>
        contentType is not null && contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase);

    /// <summary>Rewrites <paramref name="output"/> in place; false when it has no prelude that is one JSON object.</summary>
    public static bool TryRewrite(PooledBuffer output)
    {
        var written = output.WrittenSpan;
        var separator = written.IndexOf(Separator);
        if (separator < 0)
        {
            return false;
        }

        var prelude = written[..separator].Trim(" \t\r\n"u8);
        if (!TryReadPrelude(prelude, out var hasStatusCode))
        {
            return false;
        }

        var body = written[(separator + Separator.Length)..];
        var fields = prelude[1..^1].Trim(" \t\r\n"u8);
        using var rewritten = new PooledBuffer(prelude.Length + Base64.GetMaxEncodedToUtf8Length(body.Length) + 64);
        rewritten.Write("{"u8);
        if (!hasStatusCode)
        {
            rewritten.Write("\"statusCode\":200,"u8);
        }

        if (!fields.IsEmpty)
        {
            rewritten.Write(fields);
            rewritten.Write(","u8);
        }

        rewritten.Write("\"body\":\""u8);
        Base64.EncodeToUtf8(body, rewritten.GetSpan(Base64.GetMaxEncodedToUtf8Length(body.Length)), out _, out var encoded);
        rewritten.Advance(encoded);
        rewritten.Write("\",\"isBase64Encoded\":true}"u8);
        output.Clear();
        output.Write(rewritten.WrittenSpan);
        return true;
    }

    /// <summary>
    /// True when <paramref name="prelude"/> is exactly one JSON object; <paramref name="hasStatusCode"/> tells whether it
    /// names a <c>statusCode</c>, which is 200 when it does not (the status aws-lambda-go
    /// gives a response that sets none). JSON text is UTF-8, and the reader does not check the bytes inside strings.
    /// </summary>
    private static bool TryReadPrelude(ReadOnlySpan<byte> prelude, out bool hasStatusCode)
    {
        hasStatusCode = false;
        if (!Utf8.IsValid(prelude))
        {
            return false;
        }

        var reader = new Utf8JsonReader(prelude, GatewayJson.ReaderOptions);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                hasStatusCode |= !reader.ValueIsEscaped && reader.ValueSpan.SequenceEqual("statusCode"u8);
                reader.Read();
                reader.Skip();
            }

            // Reading on past the object throws on anything after it.
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
