using FcGateway.Buffers;

namespace FcGateway.Requests;

/// <summary>Reads a request body into a pooled buffer, refusing it as soon as it passes the limit.</summary>
internal static class RequestBodyReader
{
    /// <returns>False when the body is longer than <paramref name="maxBytes"/>, declared or counted while reading.</returns>
    public static async Task<bool> TryReadAsync(HttpRequest request, PooledBuffer destination, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return false;
        }

        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (destination.WrittenCount + buffer.Length > maxBytes)
            {
                reader.AdvanceTo(buffer.End);
                return false;
            }

            foreach (var segment in buffer)
            {
                destination.Write(segment.Span);
            }

            reader.AdvanceTo(buffer.End);
            if (result.IsCompleted)
            {
                return true;
            }
        }
    }
}
