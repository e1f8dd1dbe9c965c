using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Edge.Errors;
using FcGateway.Edge.Telemetry;
using FcGateway.Outcomes;
using Microsoft.AspNetCore.Http.Features;

namespace FcGateway.Edge.Requests;

/// <summary>Reads a request body into a pooled buffer, refusing it as soon as it passes the limit.</summary>
internal static class RequestBodyReader
{
    /// <returns>
    /// The error to answer with — EntityTooLarge past the limit, RequestTooSlow for a body that came too slowly,
    /// InvalidArgument for a malformed body, ClientClosed for a client that went away in the middle of it — or null.
    /// </returns>
    public static async ValueTask<(Outcome Error, string Message)?> ReadAsync(HttpRequest request, PooledBuffer destination, GatewayLimits limits, CancellationToken cancellationToken)
    {
        // RequestLimits refused a declared length over the request limit already; the invocation API's asynchronous
        // limit is smaller, and a body declared over it is refused without reading it.
        if (request.ContentLength > limits.MaxRequestBodyBytes)
        {
            return RequestBodyFailure.TooLarge(limits.MaxRequestBodyBytes);
        }

        try
        {
            return await TryReadAsync(request, destination, limits.MaxRequestBodyBytes, cancellationToken) ? null : RequestBodyFailure.TooLarge(limits.MaxRequestBodyBytes);
        }
        catch (BadHttpRequestException ex) when (RequestBodyFailure.IsCutShort(request, ex))
        {
            return RequestBodyFailure.ClientGone;
        }
        catch (Exception ex) when (RequestBodyFailure.TryClassify(ex, limits.MaxRequestBodyBytes, out var failure))
        {
            RequestBodyFailure.NoteWhetherStopped(request.HttpContext, ex);
            return failure;
        }
        catch (Exception ex) when (RequestBodyFailure.IsClientGone(ex))
        {
            return RequestBodyFailure.ClientGone;
        }
    }

    /// <summary>
    /// Reads the body of a request that invokes a function; a body over the limit, too slow or malformed is answered with its
    /// error here and recorded on <paramref name="scope"/>, as is a client that went away in the middle of it. The scope
    /// gets the body's size as read, so a body cut short counts the bytes that arrived.
    /// </summary>
    /// <returns>The body, or null when the request was refused. A value task: most bodies (and every empty one) are read
    /// without waiting, and then nothing is allocated for the result.</returns>
    public static async ValueTask<PooledBuffer?> ReadOrRefuseAsync(HttpContext context, GatewayLimits limits, GatewayErrorWriter errors, InvocationScope scope)
    {
        var body = BufferFor(context.Request, limits);
        var failed = await ReadAsync(context.Request, body, limits, context.RequestAborted);
        scope.SetRequestBodySize(body.WrittenCount);
        if (failed is not { } failure)
        {
            return body;
        }

        body.Dispose();
        await errors.WriteAsync(context, failure.Error, failure.Message);
        scope.Complete(failure.Error, context.Response.StatusCode, failure.Message);
        return null;
    }

    /// <returns>False when the body turns out longer than <paramref name="maxBytes"/> while reading.</returns>
    /// <remarks>A declared Content-Length over the limit never gets here: it was refused before reading.</remarks>
    private static async ValueTask<bool> TryReadAsync(HttpRequest request, PooledBuffer destination, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength == 0 || request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            // A GET, or a declared empty body: nothing to read.
            return true;
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
