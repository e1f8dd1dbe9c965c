using FcGateway.Configuration;
using FcGateway.Diagnostics;
using FcGateway.Errors;
using FcGateway.Http;

namespace FcGateway.Requests;

/// <summary>
/// Removes (or refuses, where configured) client <c>x-fc-*</c> headers once routing has chosen the endpoint, so
/// the rule follows what handles the request: every endpoint but the invocation API's.
/// </summary>
internal sealed partial class ClientFcHeadersMiddleware(
    RequestDelegate next,
    GatewaySettingsMonitor settingsMonitor,
    GatewayErrorWriter errors,
    InvocationTelemetry telemetry,
    ILogger<ClientFcHeadersMiddleware> logger)
{
    private const string RefusalMessage = $"Headers starting with {FcHeaders.Prefix} are reserved for the gateway.";

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        if (!ClientFcHeaders.Any(headers) || context.GetEndpoint()?.Metadata.GetMetadata<KeepsClientFcHeaders>() is not null)
        {
            return next(context);
        }

        if (settingsMonitor.Current.RejectClientFcHeaders)
        {
            return RefuseAsync(context);
        }

        ClientFcHeaders.Remove(headers);
        return next(context);
    }

    private async Task RefuseAsync(HttpContext context)
    {
        Log.Refused(logger, context.TraceIdentifier);
        await errors.WriteAsync(context, GatewayError.InvalidArgument, RefusalMessage);
        telemetry.RecordUnroutedRequest(context, InvocationOutcome.Rejected);
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.RequestRejected, LogLevel.Debug, "Request {RequestId} rejected: " + RefusalMessage)]
        public static partial void Refused(ILogger logger, string requestId);
    }
}
