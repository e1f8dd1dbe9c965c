using System.Buffers.Text;
using FcGateway.Buffers;

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

    /// <summary>Rewrites <paramref name="output"/> in place; false when it has no prelude that is a JSON object.</summary>
    public static bool TryRewrite(PooledBuffer output)
    {
        var written = output.WrittenSpan;
        var separator = written.IndexOf(Separator);
        if (separator < 0)
        {
            return false;
        }

        var prelude = written[..separator].Trim(" \t\r\n"u8);
        if (prelude.Length < 2 || prelude[0] != (byte)'{' || prelude[^1] != (byte)'}')
        {
            return false;
        }

        var body = written[(separator + Separator.Length)..];
        var fields = prelude[1..^1].Trim(" \t\r\n"u8);
        using var rewritten = new PooledBuffer(prelude.Length + Base64.GetMaxEncodedToUtf8Length(body.Length) + 64);
        rewritten.Write("{"u8);
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
}
