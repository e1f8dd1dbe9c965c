using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Diagnostics;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch.Push.Http1;

/// <summary>
/// The gateway's own HTTP/1.1 client for <c>POST /invoke</c>, beside the cluster's HttpClient: an event (or a
/// forwarded body) up to <see cref="MaxPayloadBytes"/> to a cleartext HTTP/1.1 worker is written into one buffer and
/// goes out in one send, the reply is parsed in place and its body read straight into the output, with no request or
/// response objects and none of HttpClient's layers: the gateway's CPU per invocation 0.85–0.94× of what it was over
/// HttpClient (README, Performance). Everything else keeps the cluster's HttpClient: HTTPS, HTTP/2, a proxy, a
/// connection limit, another header encoding, a larger event (streamed in steps), <c>/initialize</c> and
/// <c>/pre-stop</c>. Connections are pooled per worker address; those idle for <see cref="IdleTimeout"/> are closed.
/// </summary>
internal sealed class WorkerConnections : IDisposable
{
    /// <summary>As SocketsHttpHandler's <c>PooledConnectionIdleTimeout</c>.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The largest payload written into one buffer and sent whole (an event with a binary body up to ~95 KiB, a text one
    /// up to ~125 KiB); larger ones are streamed in steps over HttpClient, so that no event is held whole twice.
    /// </summary>
    public const int MaxPayloadBytes = 128 * 1024;

    private readonly ConcurrentDictionary<string, WorkerConnectionPool> _pools = new(StringComparer.Ordinal);
    private readonly Lock _poolsAddedOrClosed = new();
    private readonly TimeProvider _time;
    private readonly ITimer _sweep;
    private bool _disposed;

    public WorkerConnections(TimeProvider time)
    {
        _time = time;
        _sweep = time.CreateTimer(static state => ((WorkerConnections)state!).Sweep(), this, IdleTimeout / 2, IdleTimeout / 2);
    }

    /// <summary>Whether this client carries the invocation: see the class summary for what it leaves to HttpClient.</summary>
    public static bool Carries(FunctionInvocation invocation, WorkerPayload payload) =>
        payload.Length <= MaxPayloadBytes && SpeaksCleartextHttp11(invocation.Cluster, invocation.Endpoint.InvokeUri);

    /// <summary>Sends the invocation and reads its reply; failures are thrown as HttpClient throws them.</summary>
    public async Task<WorkerReplyRead> InvokeAsync(
        FunctionInvocation invocation, WorkerPayload payload, PooledBuffer output, long maxOutput, CancellationToken cancellationToken)
    {
        var uri = invocation.Endpoint.InvokeUri;
        var pool = PoolFor(invocation.Endpoint.Address, uri);
        using var call = StartCall(uri);
        WorkerConnection? connection = null;
        try
        {
            connection = await pool.RentAsync(cancellationToken);
            using (var request = InvokeRequest.Write(invocation, call ?? Activity.Current, payload))
            {
                await connection.SendAsync(request.WrittenMemory, cancellationToken);
            }

            var reply = await connection.ReadReplyAsync(output, maxOutput, cancellationToken);
            EndCall(call, reply.Head.StatusCode);
            pool.Return(connection);
            connection = null;
            return reply;
        }
        catch (Exception ex)
        {
            call?.SetStatus(ActivityStatusCode.Error).SetTag("error.type", ErrorType(ex));
            throw;
        }
        finally
        {
            connection?.Dispose();
        }
    }

    /// <summary>Whether the gateway's shutdown has closed this client: it carries no call any more.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed);

    /// <summary>Closes every pool: their idle connections now, those in a call as it ends. No call is carried afterwards.</summary>
    public void Dispose()
    {
        lock (_poolsAddedOrClosed)
        {
            _disposed = true;
        }

        _sweep.Dispose();
        foreach (var pool in _pools.Values)
        {
            pool.CloseIdle(TimeSpan.Zero, closing: true);
        }
    }

    /// <summary>
    /// The address's pool. One is added only under the lock <see cref="Dispose"/> takes, so a call racing the gateway's
    /// shutdown either adds it before and has it closed there, or is refused as HttpClient refuses a call once disposed.
    /// </summary>
    private WorkerConnectionPool PoolFor(string address, Uri uri)
    {
        if (!_disposed && _pools.TryGetValue(address, out var pool))
        {
            return pool;
        }

        lock (_poolsAddedOrClosed)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _pools.GetOrAdd(address, static (_, state) => new WorkerConnectionPool(state.uri, state.time), (uri, time: _time));
        }
    }

    /// <summary>
    /// A cleartext worker the cluster's HttpClient would speak HTTP/1.1 to, with nothing set that this client does not
    /// do: HTTP/2 without TLS only when asked for exactly (or higher); a proxy, a connection limit, an encoding of
    /// request header values other than the function clusters' UTF-8, or one of reply header values (this client reads
    /// them as Latin-1, as HttpClient does when none is set).
    /// </summary>
    private static bool SpeaksCleartextHttp11(ClusterModel cluster, Uri invokeUri)
    {
        if (invokeUri.Scheme != Uri.UriSchemeHttp)
        {
            return false;
        }

        var request = cluster.Config.HttpRequest;
        var version = request?.Version;
        var asksHttp2OrAbove = version is { Major: >= 2 } && request!.VersionPolicy is HttpVersionPolicy.RequestVersionExact or HttpVersionPolicy.RequestVersionOrHigher;
        var client = cluster.Config.HttpClient;
        return !asksHttp2OrAbove
            && (version is null || version >= HttpVersion.Version11)
            && client?.WebProxy is null
            && client?.MaxConnectionsPerServer is null
            && (client?.RequestHeaderEncoding is null || string.Equals(client.RequestHeaderEncoding, FunctionClusterClientDefaults.RequestHeaderEncoding, StringComparison.OrdinalIgnoreCase))
            && client?.ResponseHeaderEncoding is null;
    }

    /// <summary>The worker call's client span, as HttpClient's instrumentation would record it, while traces are recorded.</summary>
    private static Activity? StartCall(Uri uri)
    {
        if (!GatewayDiagnostics.Source.HasListeners())
        {
            return null;
        }

        return GatewayDiagnostics.Source.StartActivity("POST", ActivityKind.Client)?
            .SetTag("http.request.method", "POST")
            .SetTag("server.address", uri.Host)
            .SetTag("server.port", uri.Port)
            .SetTag("url.full", uri.AbsoluteUri)
            .SetTag("network.protocol.version", "1.1");
    }

    private static void EndCall(Activity? call, int statusCode)
    {
        call?.SetTag("http.response.status_code", statusCode);
        if (statusCode >= 400)
        {
            call?.SetStatus(ActivityStatusCode.Error).SetTag("error.type", statusCode.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>As HttpClient's span names a failure: its <see cref="HttpRequestError"/> in snake case, else the exception's type.</summary>
    private static string ErrorType(Exception exception)
    {
        var error = exception switch
        {
            HttpRequestException http => http.HttpRequestError,
            HttpIOException io => io.HttpRequestError,
            _ => HttpRequestError.Unknown,
        };
        return error == HttpRequestError.Unknown ? exception.GetType().FullName! : JsonNamingPolicy.SnakeCaseLower.ConvertName(error.ToString());
    }

    private void Sweep()
    {
        foreach (var (address, pool) in _pools)
        {
            if (pool.CloseIdle(IdleTimeout) && _time.GetElapsedTime(pool.LastUsed) >= IdleTimeout && _pools.TryRemove(new(address, pool)))
            {
                pool.CloseIdle(TimeSpan.Zero, closing: true);
            }
        }
    }
}
