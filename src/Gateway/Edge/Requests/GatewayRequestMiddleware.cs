using FcGateway.Configuration;
using FcGateway.Edge.Errors;
using FcGateway.Edge.Telemetry;
using FcGateway.Http;
using FcGateway.Outcomes;

namespace FcGateway.Edge.Requests;

/// <summary>
/// The gateway's outermost middleware: gives the request its id (the <see cref="HttpContext.TraceIdentifier"/>
/// and <c>X-Fc-Request-Id</c> of the response) and its settings, holds it to the rules these decide (the limits, the
/// forwarding headers of untrusted peers: <see cref="RequestSettingsRules"/>), refuses malformed requests, answers
/// <c>OPTIONS *</c> itself (<see cref="ServerWideOptions"/>), removes the fields the request's <c>Connection</c> header names and the
/// <c>X-Content-Length</c> Kestrel makes of a Content-Length it ignores (<see cref="RenamedContentLength"/>), and turns
/// any unexpected fault into a 500 without details. Last, once everything else is done with the request, it reads the rest
/// of a body the gateway answered with an error (<see cref="UnreadBodyAfterAnswer"/>): the instance the request had is not
/// held for it, nor is its time counted in the invocation's.
/// </summary>
internal sealed partial class GatewayRequestMiddleware(
    RequestDelegate next,
    RequestIdGenerator requestIds,
    GatewaySettingsMonitor settingsMonitor,
    GatewayErrorWriter errors,
    InvocationTelemetry telemetry,
    TimeProvider time,
    ILogger<GatewayRequestMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = new GatewayRequestFeature(settingsMonitor);

        // The client's own body stream, before any step reads it through a stream of its own (a limit, a signature check).
        var clientsBody = context.Request.Body;
        try
        {
            context.TraceIdentifier = requestIds.Next();
            context.Features.Set(request);
            if (RequestSettingsRules.Apply(context, request.Settings, out var message, out var headers) is { } violation)
            {
                await errors.RefuseAsync(context, violation, message);
                return;
            }

            request.ArrivedHeaders = headers;

            if (MalformedRequests.Find(context) is { } malformed)
            {
                await errors.RefuseAsync(context, Outcome.InvalidArgument, malformed);
                return;
            }

            if (ServerWideOptions.IsAskedFor(context))
            {
                ServerWideOptions.Answer(context);
                telemetry.RecordUnroutedRequest(context, Outcome.Success);
                return;
            }

            if (headers.HasUnderscoreName)
            {
                UntrustedForwardingHeaders.RemoveUnderscoreSpellings(context.Request.Headers);
            }

            ConnectionNominatedHeaders.RemoveNamed(context.Request.Headers);
            RenamedContentLength.Remove(context.Request.Headers);

            await next(context);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            await errors.RefuseAsync(context, Outcome.ClientClosed, "The client went away.");
        }
        catch (Exception ex)
        {
            Log.UnhandledException(logger, context.TraceIdentifier, ex);
            await errors.WriteAsync(context, Outcome.InternalError);
            telemetry.RecordUnroutedRequest(context, Outcome.InternalError);
        }
        finally
        {
            // Last, everything else done with the request (its instance given back, its outcome recorded).
            if (request.AnsweredWithError)
            {
                await UnreadBodyAfterAnswer.DrainAsync(context, clientsBody, request.Settings.Limits.MaxRequestBodyBytes, time);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.UnhandledException, LogLevel.Error, "Request {RequestId}: 500 InternalServerError, an unexpected gateway fault.")]
        public static partial void UnhandledException(ILogger logger, string requestId, Exception exception);
    }
}
