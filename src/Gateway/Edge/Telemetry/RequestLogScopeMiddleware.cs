namespace FcGateway.Edge.Telemetry;

/// <summary>Opens the <see cref="RequestLogScope"/> around the whole request; first in the pipeline.</summary>
internal sealed class RequestLogScopeMiddleware(RequestDelegate next, ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("FcGateway.Requests");

    public Task InvokeAsync(HttpContext context) =>
        _logger.IsEnabled(LogLevel.Critical) ? InvokeInScopeAsync(context) : next(context);

    private async Task InvokeInScopeAsync(HttpContext context)
    {
        var state = new RequestLogScope(context);
        try
        {
            using var scope = _logger.BeginScope(state);
            await next(context);
        }
        finally
        {
            state.Freeze();
        }
    }
}
