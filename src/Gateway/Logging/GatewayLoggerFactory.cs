namespace FcGateway;

/// <summary>
/// The gateway's logger factory: ASP.NET Core's, less the log scope its hosting opens around each request. That scope
/// names the request <c>RequestId</c> with the id Kestrel gives it (<c>0HN…:00000001</c>), taken before the gateway assigns
/// the FC request id, so an OTLP record of a line that names <c>{RequestId}</c> itself would carry two <c>RequestId</c>
/// attributes with different values, and a backend keeps either. The gateway's own scope (<c>FcRequestId</c>) covers every
/// line of the request instead, and its access line gives the path the scope's <c>RequestPath</c> did. Hosting's lines
/// still come through (its start-up failures and warnings): only the scope is dropped, and with it a push per request.
/// </summary>
internal sealed class GatewayLoggerFactory(ILoggerFactory aspNetCore) : ILoggerFactory
{
    private const string HostingDiagnostics = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public ILogger CreateLogger(string categoryName) =>
        categoryName == HostingDiagnostics ? new WithoutScopes(aspNetCore.CreateLogger(categoryName)) : aspNetCore.CreateLogger(categoryName);

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
}
