using System.Diagnostics;
using Gateway.Tests.Infrastructure;

namespace FcWorker.Tests.Samples;

/// <summary>A sample process as the gateway launches it, whose gateway is gone: it exits by itself, with code 1.</summary>
public sealed class SampleLaunchedExitTests
{
    [Fact]
    public async Task ALaunchedSample_WhoseRuntimeApiRefusesTheConnection_ExitsWithCode1()
    {
        using var gone = new RefusingAddress();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Samples.dll"), "http-echo"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["FC_RUNTIME_API"] = gone.Authority;
        start.Environment["FCGATEWAY_LAUNCHED"] = "1";
        using var process = Process.Start(start)!;
        try
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(1, process.ExitCode);
            Assert.Contains("The gateway that launched this worker is gone", await output + await error, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
