using Microsoft.Extensions.Logging.Abstractions;

namespace FcGateway.RuntimeApi;

/// <summary>
/// The gateway's logger factory as the runtime API's server sees it: everything but ASP.NET Core's hosting logs. Whenever
/// the per-request one is enabled, hosting starts an activity and a log scope for each request; a worker makes two per
/// invocation (<c>next</c>, then its reply), for lines nobody reads on this listener (per-request Debug and Information
/// lines). The lifetime's notices ("Now listening on", "Application started") would read as the clients' listener's: the
/// gateway says where the runtime API listens in a line of its own. Kestrel's own lines (bad requests, connection errors)
/// still come through, but for its warning that an endpoint of HTTP/1.1 and HTTP/2 without TLS will speak HTTP/1.1 only,
/// which is untrue here (<see cref="CleartextHttp2Detection"/>). Without a request activity, the gateway's lines logged while it serves <c>next</c> or a reply
/// carry no trace id of their own; the invocation's lines keep the invocation's.
/// </summary>
internal sealed class RuntimeApiLoggerFactory(ILoggerFactory gateway) : ILoggerFactory
{
    private const string HostingDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";
    private const string HostingLifetime = "Microsoft.Hosting.Lifetime";
    private const string Kestrel = "Microsoft.AspNetCore.Server.Kestrel";

    /// <summary>Kestrel's event "HTTP/2 is not enabled for … TLS is not enabled".</summary>
    private const int Http2DisabledWithoutTls = 64;

    public ILogger CreateLogger(string categoryName) => categoryName switch
    {
        HostingDiagnostics or HostingLifetime => NullLogger.Instance,
        Kestrel => new KestrelLogger(gateway.CreateLogger(categoryName)),
        _ => gateway.CreateLogger(categoryName),
    };

    public void AddProvider(ILoggerProvider provider) => gateway.AddProvider(provider);

    /// <summary>The gateway's factory is the gateway's to dispose.</summary>
    public void Dispose()
    {
    }

    private sealed class KestrelLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id != Http2DisabledWithoutTls)
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
