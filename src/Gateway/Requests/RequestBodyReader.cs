using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Errors;

namespace FcGateway.Requests;

/// <summary>Reads a request body into a pooled buffer, refusing it as soon as it passes the limit.</summary>
internal static class RequestBodyReader
{
    /// <returns>The error to answer with — EntityTooLarge past the limit, InvalidArgument for a malformed body — or null.</returns>
    public static async Task<(GatewayError Error, string Message)?> ReadAsync(HttpRequest request, PooledBuffer destination, GatewayLimits limits, CancellationToken cancellationToken)
    {
        try
        {
            return await TryReadAsync(request, destination, limits.MaxRequestBodyBytes, cancellationToken) ? null : RequestBodyFailure.TooLarge(limits.MaxRequestBodyBytes);
        }
        catch (Exception ex) when (RequestBodyFailure.TryClassify(ex, limits.MaxRequestBodyBytes, out var failure))
        {
            return failure;
        }
    }

    /// <returns>False when the body is longer than <paramref name="maxBytes"/>, declared or counted while reading.</returns>
    private static async Task<bool> TryReadAsync(HttpRequest request, PooledBuffer destination, long maxBytes, CancellationToken cancellationToken)
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

    /// <summary>
    /// A buffer sized exactly for the declared body, so a body of known length is read without growing (and a
    /// 64 KiB body takes a 64 KiB array from the pool, not the next size up).
    /// </summary>
    public static PooledBuffer BufferFor(HttpRequest request, GatewayLimits limits) =>
        new((int)Math.Min(request.ContentLength ?? 0, limits.MaxRequestBodyBytes));
}
