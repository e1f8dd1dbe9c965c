using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using FcGateway.Http;

namespace FcGateway.Edge.InvokeApi;

/// <summary>
/// The invocation payload of a Lambda function must be one JSON value, as Lambda's Invoke requires
/// (<c>InvalidRequestContentException</c> otherwise): its runtime clients parse the event before the handler runs.
/// </summary>
internal static class LambdaPayload
{
    /// <returns>Why <paramref name="payload"/> is not one JSON value, naming the position only (never the client's bytes); null when it is.</returns>
    public static string? Problem(ReadOnlySpan<byte> payload)
    {
        // JSON text is UTF-8 (RFC 8259 §8.1), which Lambda checks and the reader does not, inside strings: a runtime client
        // that decodes strictly (Python's) would fail the invocation in the function instead.
        if (!Utf8.IsValid(payload))
        {
            return string.Create(
                CultureInfo.InvariantCulture, $"The payload of a Lambda function's invocation must be JSON; it is not UTF-8 at byte {FirstInvalidByte(payload) + 1}.");
        }

        var reader = new Utf8JsonReader(payload, GatewayJson.ReaderOptions);
        try
        {
            while (reader.Read())
            {
            }

            return null;
        }
        catch (JsonException ex)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"The payload of a Lambda function's invocation must be JSON; it is not at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}.");
        }
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> payload)
    {
        var position = 0;
        while (Rune.DecodeFromUtf8(payload[position..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            position += consumed;
        }

        return position;
    }
}
