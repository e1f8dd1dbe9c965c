using System.Diagnostics;

namespace Gateway.Tests.Infrastructure;

/// <summary>Runs the built gateway process to its exit, for behaviour that is about the process: exit codes, stdout, stderr.</summary>
public static class GatewayCommand
{
    /// <summary>The result of one run.</summary>
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Starts <c>dotnet FcGateway.dll</c> with <paramref name="args"/> and waits for it to exit; kills it if it does not within a minute.</summary>
    public static async Task<Result> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "FcGateway.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
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
