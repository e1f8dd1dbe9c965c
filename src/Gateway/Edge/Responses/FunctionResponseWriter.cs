using FcGateway.Dialects;

namespace FcGateway.Edge.Responses;

/// <summary>Writes a translated function output to the client.</summary>
internal static class FunctionResponseWriter
{
    /// <returns>The body as sent: none for a HEAD request or a status without a body.</returns>
    public static ValueTask<SentBody> WriteAsync(HttpContext context, OutputTranslation translation)
    {
        var response = context.Response;
        response.StatusCode = translation.StatusCode;
        if (!MayHaveBody(translation.StatusCode))
        {
            return ValueTask.FromResult(default(SentBody));
        }

        var body = translation.Body;
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? ValueTask.FromResult(default(SentBody)) : ResponseBodySender.SendAsync(context, body);
    }

    /// <summary>204, 205 and 304 carry no content (RFC 9110 §15.3.5, §15.3.6, §15.4.5); Kestrel refuses to write any.</summary>
    public static bool MayHaveBody(int statusCode) =>
        statusCode is >= 200 and not StatusCodes.Status204NoContent and not StatusCodes.Status205ResetContent and not StatusCodes.Status304NotModified;
}
