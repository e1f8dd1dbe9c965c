using System.Text.Json;
using FcWorker.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace FcWorker.Responses;

/// <summary>Writes the worker's replies: status, <c>x-fc-status</c>, and bodies with a Content-Length.</summary>
internal static class FcResponse
{
    public const string StatusHeader = "x-fc-status";

    private const string JsonContentType = "application/json";
    private static readonly StringValues Success = "200";
    private static readonly StringValues Failure = "404";

    public static void SetSuccess(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers[StatusHeader] = Success;
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
        return WriteBytesAsync(response, JsonSerializer.SerializeToUtf8Bytes(error, WorkerJsonContext.Compact.FcErrorBody), JsonContentType);
    }

    public static async Task WriteBytesAsync(HttpResponse response, ReadOnlyMemory<byte> body, string contentType)
    {
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        if (!body.IsEmpty)
        {
            await response.BodyWriter.WriteAsync(body).ConfigureAwait(false);
        }
    }

    public static void SetEmpty(HttpResponse response) => response.ContentLength = 0;
}
