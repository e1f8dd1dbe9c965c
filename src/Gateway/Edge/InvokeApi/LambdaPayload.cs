using System.Globalization;
using System.Text.Json;
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
}
