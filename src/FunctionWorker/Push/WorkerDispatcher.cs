using FcWorker.Invocation;
using FcWorker.Responses;
using Microsoft.AspNetCore.Http;

namespace FcWorker.Push;

/// <summary>
/// The worker's only middleware: maps the contract's few method-and-path pairs to their endpoints,
/// and answers anything else with 404 and an FC error body (never 405, never an HTML page).
/// </summary>
internal sealed class WorkerDispatcher(InvokeEndpoint invoke, PlatformCallHandler calls)
{
    /// <summary>The path of the gateway's active health check for workers (YARP).</summary>
    public const string HealthPath = "/healthz";

    private static readonly byte[] Healthy = "ok"u8.ToArray();

    public Task DispatchAsync(HttpContext http)
    {
        var request = http.Request;
        var path = request.Path.Value;
        if (HttpMethods.IsPost(request.Method))
        {
            if (path == "/invoke")
            {
                return invoke.HandleAsync(http);
            }

            if (path == "/initialize")
            {
                return calls.InitializeAsync(PushedCall.From(http));
            }
        }
        else if (HttpMethods.IsGet(request.Method))
        {
            if (path == "/pre-stop")
            {
                return calls.PreStopAsync(PushedCall.From(http));
            }

            if (path == HealthPath)
            {
                return FcResponse.WriteBytesAsync(http.Response, Healthy, "text/plain");
            }
        }

        return FcResponse.WriteErrorAsync(http.Response, StatusCodes.Status404NotFound, new FcErrorBody(
            $"No endpoint for {request.Method} {request.Path}; a function worker serves POST /invoke, POST /initialize, GET /pre-stop and GET {HealthPath}.",
            FcErrorTypes.NotFound));
    }
}
