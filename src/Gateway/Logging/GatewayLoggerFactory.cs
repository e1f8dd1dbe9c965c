namespace FcGateway;

/// <summary>
/// The gateway's logger factory: ASP.NET Core's, less the log scope its hosting opens around each request. That scope
/// names the request <c>RequestId</c> with the id Kestrel gives it (<c>0HN…:00000001</c>), taken before the gateway
/// assigns the FC request id, so an OTLP record of a line that names <c>{RequestId}</c> itself would carry two
/// <c>RequestId</c> attributes with different values, and a backend keeps either. The gateway's own scope
/// (<c>FcRequestId</c>) covers every line of the request instead, and its access line gives the path the scope's
/// <c>RequestPath</c> did. Hosting's lines still come through (its start-up failures and warnings): only the scope is
/// dropped, and with it a push per request. Kestrel's lines are escaped and bounded (<see cref="LogText"/>): it quotes
/// a Host header it refuses as the client sent it, in its message and in the exception it logs with it.
/// </summary>
internal sealed class GatewayLoggerFactory(ILoggerFactory aspNetCore) : ILoggerFactory
{
    private const string HostingDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";
    private const string Kestrel = "Microsoft.AspNetCore.Server.Kestrel";
    private const string KestrelHttp2 = "Microsoft.AspNetCore.Server.Kestrel.Http2";

    /// <summary>
    /// Kestrel's Critical line for an HTTP/2 connection it aborts because the client queued more output than it takes
    /// (<c>exceeded the output operations maximum queue size</c>): a client resetting streams as fast as it opens them
    /// (rapid reset) gets one per stream still queued, a hundred from one connection.
    /// </summary>
    private const int Http2OutputQueueExceeded = 60;

    /// <summary>
    /// Kestrel's Error line, with the exception's stack trace, when it cannot drain the body of a request the gateway
    /// answered before the body ended (<c>automatic draining of the request body failed</c>): a client that uploads to a
    /// web function slower than the function's <c>Timeout</c> gets one, and Kestrel closes the connection, as it should.
    /// </summary>
    private const int RequestBodyDrainFailed = 67;

    public ILogger CreateLogger(string categoryName)
    {
        var logger = aspNetCore.CreateLogger(categoryName);
        return categoryName == HostingDiagnostics ? new WithoutScopes(logger)
            : categoryName.StartsWith(Kestrel, StringComparison.Ordinal) ? new ClientTextEscaped(logger, ClientCausedEvent(categoryName))
            : logger;
    }

    /// <summary>The event of Kestrel's <paramref name="categoryName"/> that a client causes at will, logged at Debug.</summary>
    private static int? ClientCausedEvent(string categoryName) => categoryName switch
    {
        KestrelHttp2 => Http2OutputQueueExceeded,
        Kestrel => RequestBodyDrainFailed,
        _ => null,
    };

    public void AddProvider(ILoggerProvider provider) => aspNetCore.AddProvider(provider);

    /// <summary>ASP.NET Core's factory is the container's to dispose.</summary>
    public void Dispose()
    {
    }

    private sealed class WithoutScopes(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception, formatter);
    }

    /// <summary>
    /// Logs a line whose message or exception holds characters a terminal or log parser could act on, or is longer than
    /// a field of client text may be, with both escaped and bounded (<see cref="LogText.EscapeField"/>), the exception
    /// as its type and message (a stack trace of where Kestrel refused a request tells nothing); other lines pass as
    /// they are. The line of <paramref name="clientCausedEvent"/>, which a client causes at will, is logged at Debug, as
    /// the gateway logs its refusals of a client's own doing, so that no client writes the log's most severe lines on
    /// demand; Kestrel's <c>kestrel.connection.duration</c> metric still counts the connection, with its
    /// <c>error.type</c>.
    /// </summary>
    private sealed class ClientTextEscaped(ILogger inner, int? clientCausedEvent = null) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == clientCausedEvent)
            {
                logLevel = LogLevel.Debug;
            }

            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            var escaped = LogText.EscapeField(message);
            var exceptionMessage = exception?.Message;
            var escapedException = exceptionMessage is null ? null : LogText.EscapeField(exceptionMessage);
            if (ReferenceEquals(escaped, message) && ReferenceEquals(escapedException, exceptionMessage))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }

            // The line is the state too: the JSON format writes a state's fields, the client's text among them, whole.
            var line = exception is null ? escaped : $"{escaped} ({exception.GetType().FullName}: {escapedException})";
            inner.Log(logLevel, eventId, line, null, static (text, _) => text);
        }
    }
}
