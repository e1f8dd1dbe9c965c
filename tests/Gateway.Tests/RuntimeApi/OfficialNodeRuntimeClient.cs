using System.Diagnostics;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.RuntimeApi;

/// <summary>
/// The official Node.js runtime interface client, npm's <c>aws-lambda-ric</c> at the version tests/LambdaInterop pins,
/// with that folder's handlers: installed once per machine by <c>tests/LambdaInterop/install.sh</c> (its native part
/// builds for minutes the first time; later runs only link the cached install).
/// </summary>
internal static class OfficialNodeRuntimeClient
{
    /// <summary>The handlers' folder, the launched function's working directory and so its <c>LAMBDA_TASK_ROOT</c>.</summary>
    public static string TaskRoot { get; } = RepositoryRoot.File("tests/LambdaInterop");

    private static readonly TimeSpan InstallBound = TimeSpan.FromMinutes(20);
    private static readonly Lazy<Task<string>> Installed = new(() => InstallAsync(TaskRoot));

    /// <summary>The client's entry point (the <c>aws-lambda-ric</c> command), installed first if it is not yet.</summary>
    public static Task<string> EntryPointAsync() => Installed.Value;

    /// <summary>
    /// Runs the <c>install.sh</c> of <paramref name="folder"/> (tests/LambdaInterop, or a copy of its install.sh and
    /// package files), which links its node_modules to the machine's cached install; returns the client's entry point there.
    /// </summary>
    public static async Task<string> InstallAsync(string folder)
    {
        using var install = Process.Start(new ProcessStartInfo("bash", [Path.Combine(folder, "install.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = install.StandardOutput.ReadToEndAsync();
        var errors = install.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(InstallBound);
        try
        {
            await install.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            install.Kill(entireProcessTree: true);
            throw new TimeoutException($"tests/LambdaInterop/install.sh did not finish within {InstallBound}");
        }

        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"tests/LambdaInterop/install.sh failed (exit code {install.ExitCode}); the Lambda interop tests need node and npm:\n{await output}{await errors}");
        }

        return Path.Combine(folder, "node_modules", "aws-lambda-ric", "index.mjs");
    }
}
