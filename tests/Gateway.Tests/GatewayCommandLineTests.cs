using FcGateway;

namespace Gateway.Tests;

public sealed class GatewayCommandLineTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("--help", "--urls", "x")]
    [InlineData("--urls", "x", "--help")]
    public void TryAnswer_Help_PrintsUsage(params string[] args)
    {
        using var output = new StringWriter();

        Assert.True(GatewayCommandLine.TryAnswer(args, output));
        Assert.Contains("Usage: FcGateway", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("--urls", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TryAnswer_Help_SaysTheListeningAddressComesFromAppSettingsFirst()
    {
        using var output = new StringWriter();

        GatewayCommandLine.TryAnswer(["--help"], output);

        // The repository's appsettings.json sets Urls (http://127.0.0.1:8080): Kestrel's own default applies only without one.
        Assert.Contains("default: Urls in appsettings.json", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TryAnswer_Version_PrintsVersion()
    {
        using var output = new StringWriter();

        Assert.True(GatewayCommandLine.TryAnswer(["--version"], output));
        Assert.Equal($"FcGateway {GatewayCommandLine.Version}", output.ToString().Trim());
    }

    [Theory]
    [InlineData]
    [InlineData("--urls", "http://127.0.0.1:0")]
    [InlineData("--Gateway:Region=help")]
    public void TryAnswer_OtherArguments_LeavesThemToTheHost(params string[] args)
    {
        using var output = new StringWriter();

        Assert.False(GatewayCommandLine.TryAnswer(args, output));
        Assert.Empty(output.ToString());
    }
}
