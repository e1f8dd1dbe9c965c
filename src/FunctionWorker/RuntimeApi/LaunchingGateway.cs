using System.Net.Sockets;
using FcWorker.Invocation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FcWorker.RuntimeApi;

/// <summary>
/// The gateway that launched this worker, when it says so (<c>FCGATEWAY_LAUNCHED=1</c>): a failed poll that shows it
/// gone — its runtime API refuses the connection, or answers <c>next</c> 404 (a gateway now at that address does not know
/// this instance) — stops the worker as SIGTERM does, with one Warning, so that an instance whose gateway was killed
/// does not poll for ever. Other failures (a dropped connection, a 503, other statuses) are left to the loop's backoff:
/// a dropped poll is followed by a connect, refused if the gateway is gone. A worker started by hand retries them all.
/// Only failed polls are looked at: the path of a successful one is unchanged.
/// </summary>
internal sealed partial class LaunchingGateway(bool launched, IHostApplicationLifetime lifetime, Uri address, ILogger logger)
{
    /// <summary>The exit code of a worker that stopped because its gateway is gone, as aws-lambda-go's when <c>next</c> fails.</summary>
    public const int GoneExitCode = 1;

    private int _gone;

    /// <summary>True once a failed poll showed the gateway gone and the worker was told to stop.</summary>
    public bool IsGone => Volatile.Read(ref _gone) == 1;

    /// <summary>True, the worker then stopping, when the poll's <paramref name="failure"/> is a refused connection.</summary>
    public bool IsGoneAfter(HttpRequestException failure) =>
        launched
        && failure is { HttpRequestError: HttpRequestError.ConnectionError, InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } }
        && Stop("refuses the connection");

    /// <summary>True, the worker then stopping, when the poll was answered 404.</summary>
    public bool IsGoneAfter(int statusCode) =>
        launched && statusCode == StatusCodes.Status404NotFound && Stop("answered next HTTP 404 (a gateway there does not know this instance)");

    /// <summary>Logs and stops once, whichever loop sees it first; true for the others too, so that none logs an outage.</summary>
    private bool Stop(string reason)
    {
        if (Interlocked.Exchange(ref _gone, 1) == 0)
        {
            Log.Gone(logger, address, reason);
            lifetime.StopApplication();
        }

        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(WorkerEventIds.RuntimeApiGatewayGone, LogLevel.Warning,
            "The gateway that launched this worker is gone: its runtime API at {Address} {Reason}; stopping as on SIGTERM (running calls finish)")]
        public static partial void Gone(ILogger logger, Uri address, string reason);
    }
}
