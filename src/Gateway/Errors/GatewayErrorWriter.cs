using System.Text;
using System.Text.Json;
using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Output;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace FcGateway.Errors;

/// <summary>
/// The one place that writes error responses: a gateway error as the FC body
/// <c>{"errorCode","errorMessage"}</c>, a function failure as <c>Internal Server Error</c>. Neither carries
/// details of the cause, which go to the log under the request id.
/// </summary>
internal sealed class GatewayErrorWriter(GatewaySettingsMonitor settings)
{
    private static readonly byte[] FunctionFailedBody = Encoding.UTF8.GetBytes(GatewayErrorCatalogue.FunctionFailedBody);
    private static readonly JsonEncodedText ErrorCodeName = JsonEncodedText.Encode("errorCode");
    private static readonly JsonEncodedText ErrorMessageName = JsonEncodedText.Encode("errorMessage");

    public async Task WriteAsync(HttpContext context, GatewayError error, string? message = null)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            context.Abort();
            return;
        }

        var descriptor = GatewayErrorCatalogue.Describe(error);
        KeepOnlyTheErrorsOwnHeaders(response.Headers, error);
        GatewayResponseHeaders.Apply(context, settings.Current);
        response.StatusCode = descriptor.StatusCode;
        if (error == GatewayError.ClientClosedRequest)
        {
            return;
        }

        response.ContentType = "application/json";
        if (error == GatewayError.FunctionFailed)
        {
            await WriteBodyAsync(context, FunctionFailedBody);
            return;
        }

        using var body = new PooledBuffer(256);
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteString(ErrorCodeName, descriptor.ErrorCode);
            writer.WriteString(ErrorMessageName, message ?? descriptor.DefaultMessage);
            writer.WriteEndObject();
        }

        await WriteBodyAsync(context, body.WrittenMemory);
    }

    /// <summary>
    /// Removes every header but the one the error owns, which the code raising it set: the challenge of a 401, the
    /// methods of a 405. Whatever else is there must not leak — above all a function's headers, taken from its output
    /// before the output turned out to be invalid. CORS headers need no keeping: ASP.NET Core's CORS middleware adds
    /// them as the response starts, after this.
    /// </summary>
    private static void KeepOnlyTheErrorsOwnHeaders(IHeaderDictionary headers, GatewayError error)
    {
        var owned = error switch
        {
            GatewayError.Unauthenticated => HeaderNames.WWWAuthenticate,
            GatewayError.MethodNotAllowed => HeaderNames.Allow,
            _ => null,
        };
        var value = owned is null ? default : headers[owned];
        headers.Clear();
        if (owned is not null && !StringValues.IsNullOrEmpty(value))
        {
            headers[owned] = value;
        }
    }

    private static async Task WriteBodyAsync(HttpContext context, ReadOnlyMemory<byte> body)
    {
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }
}
