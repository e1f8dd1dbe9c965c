using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>What the gateway process says when it starts, or is asked about itself.</summary>
public sealed class StartupTests
{
    [Theory]
    [InlineData("--help", "Usage: FcGateway")]
    [InlineData("--version", "FcGateway ")]
    public async Task HelpOrVersion_PrintsAndExits0_WithoutStarting(string option, string expected)
    {
        var result = await GatewayCommand.RunAsync(option, "--urls", "http://127.0.0.1:0");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(expected, result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Started_LogsVersionListenersAndOneLinePerFunction()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        await Eventually.HoldsAsync(() => gateway.Logs.Contains("Function 'echo'"));
        Assert.True(gateway.Logs.Contains($"listening on {gateway.Client.BaseAddress!.ToString().TrimEnd('/')}"));
        Assert.True(gateway.Logs.Contains("Function 'echo': routes echo /echo/{**rest}; mode event; transport push; 1 instance(s); trigger auth anonymous"));
    }
}
