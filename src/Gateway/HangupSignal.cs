using System.Runtime.InteropServices;

namespace FcGateway;

/// <summary>
/// Takes SIGHUP as a stop, as SIGTERM is taken: the host's graceful shutdown drains the requests in flight and stops
/// the launched function processes. Left to its default action, SIGHUP (a closed terminal, <c>kill -HUP</c>) ended the
/// process at once, with the launched processes left running. The gateway follows its configuration files as they are
/// saved, so it gives SIGHUP no reload meaning.
/// </summary>
internal sealed partial class HangupSignal(IHostApplicationLifetime lifetime, ILogger<HangupSignal> logger) : IHostedService, IDisposable
{
    private PosixSignalRegistration? _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _registration?.Dispose();

    private void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        LogStopping(logger);
        lifetime.StopApplication();
    }

    [LoggerMessage(EventIds.HangupStops, LogLevel.Information, "SIGHUP: the gateway stops as for SIGTERM (in-flight requests drain, launched function processes are stopped).")]
    private static partial void LogStopping(ILogger logger);
}
