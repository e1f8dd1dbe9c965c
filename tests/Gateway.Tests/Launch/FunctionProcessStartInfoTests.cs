using FcGateway.Configuration;
using FcGateway.Launch;

namespace Gateway.Tests.Launch;

public sealed class FunctionProcessStartInfoTests
{
    [Fact]
    public void Create_CommandAndArguments_NoShellStdinRedirected()
    {
        var info = FunctionProcessStartInfo.Create(
            new FunctionLaunchSettings { Command = "/bin/echo", Arguments = ["a b", "$HOME", ""], WorkingDirectory = "/tmp" },
            new Dictionary<string, string>());

        Assert.Equal("/bin/echo", info.FileName);
        Assert.Equal(["a b", "$HOME", ""], info.ArgumentList);
        Assert.Equal("/tmp", info.WorkingDirectory);
        Assert.False(info.UseShellExecute);
        Assert.True(info.RedirectStandardInput);
        Assert.True(info.RedirectStandardOutput);
        Assert.True(info.RedirectStandardError);
    }

    [Fact]
    public void Create_FunctionEnvironmentAndVariables_CallersVariablesWin()
    {
        var settings = new FunctionLaunchSettings
        {
            Command = "/bin/true",
            Environment = new Dictionary<string, string> { ["GREETING"] = "hello", ["FC_INSTANCE_ID"] = "from-configuration" },
        };

        var info = FunctionProcessStartInfo.Create(settings, new Dictionary<string, string> { ["FC_INSTANCE_ID"] = "i-1", ["FC_RUNTIME_API"] = "127.0.0.1:9000" });

        Assert.Equal("hello", info.Environment["GREETING"]);
        Assert.Equal("i-1", info.Environment["FC_INSTANCE_ID"]);
        Assert.Equal("127.0.0.1:9000", info.Environment["FC_RUNTIME_API"]);
        Assert.Equal(Environment.GetEnvironmentVariable("PATH"), info.Environment["PATH"]);
    }

    [Fact]
    public void RemoveGatewaySettings_GatewayVariables_RemovedWhateverTheirCase()
    {
        var environment = new Dictionary<string, string?>
        {
            ["Gateway__InvokeApi__BearerTokens__0"] = "secret",
            ["GATEWAY__FUNCTIONS__ECHO__CREDENTIALS__ACCESSKEYSECRET"] = "secret",
            ["ReverseProxy__Clusters__echo__Destinations__d0__Address"] = "http://127.0.0.1:9000",
            ["ASPNETCORE_URLS"] = "http://+:8080",
            ["PATH"] = "/usr/bin",
            ["GatewayName"] = "kept: not a configuration key",
        };

        FunctionProcessStartInfo.RemoveGatewaySettings(environment);

        Assert.Equal(["GatewayName", "PATH"], environment.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void RemoveGatewaySettings_InlineSocketCompletions_RemovedButOtherDotnetVariablesKept()
    {
        var environment = new Dictionary<string, string?>
        {
            ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1",
            ["DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT"] = "2",
            ["DOTNET_gcServer"] = "0",
        };

        FunctionProcessStartInfo.RemoveGatewaySettings(environment);

        Assert.Equal(["DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT", "DOTNET_gcServer"], environment.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Create_InlineSocketCompletionsInTheFunctionsOwnEnvironment_AreKept()
    {
        var settings = new FunctionLaunchSettings
        {
            Command = "/bin/true",
            Environment = new Dictionary<string, string> { ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1" },
        };

        var info = FunctionProcessStartInfo.Create(settings, new Dictionary<string, string>());

        Assert.Equal("1", info.Environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"]);
    }
}
