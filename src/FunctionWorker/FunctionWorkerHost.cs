using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace FcWorker;

/// <summary>A built function worker: start it, read its bound address, stop it by disposing.</summary>
public sealed class FunctionWorkerHost : IAsyncDisposable
{
    private bool _started;

    internal FunctionWorkerHost(WebApplication application) => Application = application;

    /// <summary>The underlying ASP.NET Core application.</summary>
    public WebApplication Application { get; }

    /// <summary>The first address the worker listens on, with the real port when it was bound to port 0.</summary>
    /// <exception cref="InvalidOperationException">The worker has not been started, or it pulls from <c>FC_RUNTIME_API</c> and listens nowhere.</exception>
    public Uri Url
    {
        get
        {
            var addresses = Application.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
            if (!_started || addresses is null || addresses.Addresses.Count == 0)
            {
                throw new InvalidOperationException(
                    "The worker has no address: it has not been started (call StartAsync first), or it pulls its invocations from FC_RUNTIME_API and listens nowhere.");
            }

            return new Uri(addresses.Addresses.First());
        }
    }

    /// <summary>Starts listening, or polling the runtime API when <c>FC_RUNTIME_API</c> is set.</summary>
    /// <param name="cancellationToken">Aborts the start-up.</param>
    /// <returns>A task that completes when the worker accepts requests.</returns>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await Application.StartAsync(cancellationToken).ConfigureAwait(false);
        _started = true;
    }

    /// <summary>Stops listening (or polling), letting running invocations finish and reply until the token fires.</summary>
    /// <param name="cancellationToken">Ends the graceful shutdown.</param>
    /// <returns>A task that completes when the worker has stopped.</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_started)
        {
            _started = false;
            await Application.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the worker if it runs and releases its resources.</summary>
    /// <returns>A task that completes when the worker is disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await Application.DisposeAsync().ConfigureAwait(false);
    }
}
