using System.Diagnostics;

namespace Gateway.Tests.Infrastructure;

/// <summary>Runs the built gateway (or quick start) process to its exit, for behaviour that is about the process: exit codes, stdout, stderr.</summary>
public static class GatewayCommand
{
    /// <summary>The result of one run.</summary>
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Starts <c>dotnet FcGateway.dll</c> with <paramref name="args"/> and waits for it to exit; kills it if it does not within a minute.</summary>
    public static Task<Result> RunAsync(params string[] args) => RunToExitAsync("FcGateway.dll", args);

    /// <summary>The same, with <paramref name="workingDirectory"/> as its current folder.</summary>
    public static Task<Result> RunInAsync(string workingDirectory, params string[] args) => RunToExitAsync("FcGateway.dll", args, workingDirectory);

    /// <summary>The same, with <paramref name="environment"/> added to the process's environment variables.</summary>
    public static Task<Result> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunToExitAsync("FcGateway.dll", args, environment: environment);

    /// <summary>The same for the quick start, <c>dotnet QuickStart.dll</c>: the gateway with the samples behind it.</summary>
    public static Task<Result> RunQuickStartAsync(params string[] args) => RunToExitAsync("QuickStart.dll", args);

    private static async Task<Result> RunToExitAsync(string assembly, string[] args, string workingDirectory = "", IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, assembly), .. args])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return new Result(process.ExitCode, await output, await error);
    }
}
