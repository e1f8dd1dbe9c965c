using FcGateway.Dialects;

namespace FcGateway.Edge.Responses;

/// <summary>Writes a translated function output to the client.</summary>
internal static class FunctionResponseWriter
{
    public static Task WriteAsync(HttpContext context, OutputTranslation translation)
    {
        var response = context.Response;
        response.StatusCode = translation.StatusCode;
        if (!MayHaveBody(translation.StatusCode))
        {
            return Task.CompletedTask;
        }

        var body = translation.Body;
        response.ContentLength = body.Length;
        if (HttpMethods.IsHead(context.Request.Method) || body.IsEmpty)
        {
            return Task.CompletedTask;
        }

        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static bool MayHaveBody(int statusCode) =>
        statusCode is >= 200 and not StatusCodes.Status204NoContent and not StatusCodes.Status304NotModified;
}
