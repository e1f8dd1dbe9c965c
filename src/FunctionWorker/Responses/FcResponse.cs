using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace FcWorker.Responses;

/// <summary>Writes the replies of pushed calls: status, <c>x-fc-status</c>, and bodies with a Content-Length where one is known.</summary>
internal static class FcResponse
{
    public const string StatusHeader = "x-fc-status";

    private static readonly StringValues Success = "200";
    private static readonly StringValues Failure = "404";

    /// <summary>A successful call: HTTP 200 and <c>x-fc-status: 200</c>; a non-seekable stream is sent chunked.</summary>
    public static Task WriteOutputAsync(HttpResponse response, FunctionOutput output, CancellationToken cancellationToken)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers[StatusHeader] = Success;
        return output.Stream is { } stream
            ? WriteStreamAsync(response, stream, output.ContentType, cancellationToken)
            : WriteBytesAsync(response, output.Bytes, output.ContentType);
    }

    /// <summary>A failed invocation: HTTP 404 and <c>x-fc-status: 404</c>, as FC's contract says.</summary>
    public static Task WriteFunctionErrorAsync(HttpResponse response, FcErrorBody error)
    {
        response.Headers[StatusHeader] = Failure;
        return WriteErrorAsync(response, StatusCodes.Status404NotFound, error);
    }

    /// <summary>A reply from the worker rather than the function (busy, no such endpoint): no <c>x-fc-status</c>.</summary>
    public static Task WriteErrorAsync(HttpResponse response, int statusCode, FcErrorBody error)
    {
        response.StatusCode = statusCode;
        return WriteBytesAsync(response, error.ToJson(), ContentTypes.Json);
    }

    public static async Task WriteBytesAsync(HttpResponse response, ReadOnlyMemory<byte> body, string? contentType)
    {
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        if (!body.IsEmpty)
        {
            await response.BodyWriter.WriteAsync(body).ConfigureAwait(false);
        }
    }

    private static async Task WriteStreamAsync(HttpResponse response, Stream stream, string? contentType, CancellationToken cancellationToken)
    {
        await using (stream.ConfigureAwait(false))
        {
            response.ContentType = contentType;
            if (stream.CanSeek)
            {
                response.ContentLength = stream.Length - stream.Position;
            }

            await stream.CopyToAsync(response.Body, cancellationToken).ConfigureAwait(false);
        }
    }
}
