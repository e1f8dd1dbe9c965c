using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FcWorker.Samples;

/// <summary>
/// Sample functions running in this process, each a worker on its own loopback port.
/// Start with <see cref="StartAllAsync"/> or <see cref="StartAsync"/>; dispose to stop them all.
/// They listen even when <c>FC_RUNTIME_API</c> is set: pulling is for a process that runs one sample (<c>Samples {name}</c>).
/// </summary>
public sealed class SampleHost : IAsyncDisposable
{
    private const string RuntimeApiKey = "FC_RUNTIME_API";

    private readonly IReadOnlyList<FunctionWorkerHost> _workers;

    private SampleHost(IReadOnlyList<FunctionWorkerHost> workers, IReadOnlyDictionary<string, Uri> urls)
    {
        _workers = workers;
        Urls = urls;
    }

    /// <summary>Each sample's name and the address its worker listens on.</summary>
    public IReadOnlyDictionary<string, Uri> Urls { get; }

    /// <summary>
    /// Starts every sample of <see cref="SampleFunctions.All"/> on <c>http://127.0.0.1:{port}</c>, the port
    /// being the configuration key <c>Samples:{name}:Port</c> when set (0 picks a free one), else the
    /// sample's default (9001–9007).
    /// </summary>
    /// <param name="configuration">Where to read port overrides; null keeps the defaults.</param>
    /// <param name="cancellationToken">Aborts the start-up.</param>
    /// <returns>The running samples.</returns>
    /// <exception cref="InvalidOperationException">A configured port is not a number from 0 to 65535.</exception>
    /// <exception cref="SampleAddressInUseException">A sample's port is taken; no sample is left running.</exception>
    public static async Task<SampleHost> StartAllAsync(IConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        var addresses = SampleFunctions.All.ToDictionary(
            sample => sample.Name,
            sample => new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{PortOf(sample, configuration)}")));
        return await StartAsync(addresses, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts the samples named in <paramref name="addresses"/>, each listening on its address.</summary>
    /// <param name="addresses">Each sample's name and the address to listen on (scheme, host and port).</param>
    /// <param name="cancellationToken">Aborts the start-up.</param>
    /// <returns>The running samples.</returns>
    /// <exception cref="ArgumentException">A name is not a sample's.</exception>
    /// <exception cref="SampleAddressInUseException">A sample's port is taken; no sample is left running.</exception>
    public static async Task<SampleHost> StartAsync(IReadOnlyDictionary<string, Uri> addresses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var workers = new List<FunctionWorkerHost>();
        var urls = new Dictionary<string, Uri>(StringComparer.OrdinalIgnoreCase);
        try
        {
            foreach (var (name, address) in addresses)
            {
                var sample = SampleFunctions.Find(name) ?? throw new ArgumentException($"There is no sample named '{name}'.", nameof(addresses));

                // Several samples in one process each listen on their own port: an FC_RUNTIME_API in the environment
                // is meant for a process running one sample, so the empty value here keeps these in push mode.
                var options = SampleFunctions.Options();
                options.ConfigureBuilder = Quiet;
                var worker = FunctionWorker.Create(["--urls", address.GetLeftPart(UriPartial.Authority), $"--{RuntimeApiKey}="], sample.Handler, options);
                workers.Add(worker);
                await StartWorkerAsync(worker, sample, address, cancellationToken).ConfigureAwait(false);
                urls[sample.Name] = worker.Url;
            }
        }
        catch
        {
            await DisposeAllAsync(workers).ConfigureAwait(false);
            throw;
        }

        return new SampleHost(workers, urls);
    }

    /// <summary>Completes when the process is asked to stop (Ctrl+C, SIGTERM) or the token fires.</summary>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>A task that completes when shutdown begins.</returns>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default)
    {
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var worker in _workers)
        {
            worker.Application.Lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());
        }

        return stopping.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stops every sample.</summary>
    /// <returns>A task that completes when all are stopped.</returns>
    public ValueTask DisposeAsync() => DisposeAllAsync(_workers);

    private static async Task StartWorkerAsync(FunctionWorkerHost worker, SampleFunction sample, Uri address, CancellationToken cancellationToken)
    {
        try
        {
            await worker.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex) when (ex.InnerException is AddressInUseException)
        {
            throw new SampleAddressInUseException(sample.Name, address, ex);
        }
    }

    // The host's own "Hosting failed to start" entry would print a stack trace the caller replaces with one line.
    private static void Quiet(WebApplicationBuilder builder)
    {
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
    }

    private static int PortOf(SampleFunction sample, IConfiguration? configuration)
    {
        var key = $"Samples:{sample.Name}:Port";
        var text = configuration?[key];
        if (string.IsNullOrEmpty(text))
        {
            return sample.Port;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65_535
            ? port
            : throw new InvalidOperationException($"{key} must be a port number from 0 to 65535; it is '{text}'.");
    }

    private static async ValueTask DisposeAllAsync(IEnumerable<FunctionWorkerHost> workers)
    {
        foreach (var worker in workers)
        {
            await worker.DisposeAsync().ConfigureAwait(false);
        }
    }
}
