using FcWorker.Hosting;
using FcWorker.RuntimeApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FcWorker;

/// <summary>
/// Entry points that host one function handler behind Function Compute's custom-runtime contract:
/// <c>POST /invoke</c>, <c>POST /initialize</c>, <c>GET /pre-stop</c>, plus <c>GET /healthz</c>; or, when
/// <c>FC_RUNTIME_API</c> is set, by pulling its invocations from FC's runtime API as the built-in runtimes do.
/// </summary>
/// <remarks>
/// <para>A handler is any delegate following FC's handler rules: up to two parameters, and with two
/// the first is the <see cref="IFunctionContext"/> and the second the event; it returns nothing, a
/// value, <see cref="Task"/>, <see cref="Task{TResult}"/>, <see cref="ValueTask"/> or
/// <see cref="ValueTask{TResult}"/>, and reports errors by throwing.</para>
/// <para>An event of type <c>byte[]</c>, <see cref="ReadOnlyMemory{T}">ReadOnlyMemory&lt;byte&gt;</see>,
/// <see cref="Stream"/> or <see cref="string"/> receives the raw event bytes; any other type is read
/// as JSON. An output of one of those types is written raw, anything else as JSON.</para>
/// <para>The worker listens on <c>http://0.0.0.0:{FC_SERVER_PORT}</c> (default 9000) unless
/// <c>--urls</c> or <c>ASPNETCORE_URLS</c> says otherwise. With <c>FC_RUNTIME_API</c>
/// (<c>host:port</c> or <c>host:port/path-prefix</c>) it listens nowhere and instead keeps one long poll
/// of <c>GET …/2020-11-11/runtime/invocation/next</c> per invocation it may run at once, posting each
/// outcome to <c>…/{requestId}/response</c> or <c>…/{requestId}/error</c>.</para>
/// </remarks>
/// <example><code>FunctionWorker.Run(args, (MyEvent e) => $"hello, {e.Key}!");</code></example>
public static class FunctionWorker
{
    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/> the worker's invocation spans come from.</summary>
    public const string ActivitySourceName = "FcWorker";

    /// <summary>Runs a worker for <paramref name="handler"/> until the process is asked to stop.</summary>
    /// <remarks>Sets <see cref="Environment.ExitCode"/> as <see cref="RunAsync"/> does.</remarks>
    /// <param name="args">The command-line arguments (e.g. <c>--urls</c>).</param>
    /// <param name="handler">The function handler.</param>
    /// <param name="options">Optional worker settings.</param>
    /// <exception cref="ArgumentException">The handler breaks a handler rule; the message names it.</exception>
    public static void Run(string[] args, Delegate handler, FunctionWorkerOptions? options = null) =>
        RunAsync(args, handler, options).GetAwaiter().GetResult();

    /// <summary>Runs a worker for <paramref name="handler"/> until the process is asked to stop or the token fires.</summary>
    /// <remarks>
    /// A worker the gateway launched (<c>FCGATEWAY_LAUNCHED=1</c>) also stops when a failed poll shows that gateway gone,
    /// and then sets <see cref="Environment.ExitCode"/> to 1: a <c>Main</c> that returns a number returns that one.
    /// </remarks>
    /// <param name="args">The command-line arguments (e.g. <c>--urls</c>).</param>
    /// <param name="handler">The function handler.</param>
    /// <param name="options">Optional worker settings.</param>
    /// <param name="cancellationToken">Stops the worker when cancelled.</param>
    /// <returns>A task that completes when the worker has stopped.</returns>
    /// <exception cref="ArgumentException">The handler breaks a handler rule; the message names it.</exception>
    public static async Task RunAsync(
        string[] args, Delegate handler, FunctionWorkerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var application = Create(args, handler, options).Application;
        var gateway = application.Services.GetService<LaunchingGateway>();
        await HostingAbstractionsHostExtensions.RunAsync(application, cancellationToken).ConfigureAwait(false);
        if (gateway?.IsGone == true)
        {
            Environment.ExitCode = LaunchingGateway.GoneExitCode;
        }
    }

    /// <summary>
    /// Builds a worker without starting it, so a process can host several (tests, samples).
    /// Start it with <see cref="FunctionWorkerHost.StartAsync"/>; pass <c>--urls http://127.0.0.1:0</c>
    /// for a free port and read it back from <see cref="FunctionWorkerHost.Url"/>.
    /// </summary>
    /// <param name="args">The command-line arguments (e.g. <c>--urls</c>).</param>
    /// <param name="handler">The function handler.</param>
    /// <param name="options">Optional worker settings.</param>
    /// <returns>The built, not yet started worker.</returns>
    /// <exception cref="ArgumentException">The handler or the options break a rule; the message names it.</exception>
    public static FunctionWorkerHost Create(string[] args, Delegate handler, FunctionWorkerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(handler);
        return new FunctionWorkerHost(WorkerApplicationFactory.Create(args, handler, options ?? new FunctionWorkerOptions()));
    }
}
