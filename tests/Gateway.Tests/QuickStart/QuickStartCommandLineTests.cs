using FcQuickStart;

namespace Gateway.Tests.QuickStart;

public sealed class QuickStartCommandLineTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("--urls", "x", "--help")]
    public void TryAnswer_Help_TellsHowToMoveASample(params string[] args)
    {
        using var output = new StringWriter();

        Assert.True(QuickStartCommandLine.TryAnswer(args, output));
        Assert.Contains("--ReverseProxy:Clusters:http-echo:Destinations:instance1:Address=http://127.0.0.1:9104", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("--urls", "http://127.0.0.1:0")]
    public void TryAnswer_OtherArguments_LeavesThemToTheGateway(params string[] args)
    {
        using var output = new StringWriter();

        Assert.False(QuickStartCommandLine.TryAnswer(args, output));
        Assert.Empty(output.ToString());
    }
}
