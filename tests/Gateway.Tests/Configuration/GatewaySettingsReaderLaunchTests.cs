using System.Runtime.Versioning;
using FcGateway.Configuration;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Configuration;

/// <summary>The launch keys of <c>Gateway:Functions:{name}</c>: read, resolved, and every problem reported naming the function.</summary>
public sealed class GatewaySettingsReaderLaunchTests
{
    private const string Echo = "Gateway:Functions:echo";

    [Fact]
    public void Read_NoCommand_NothingLaunchedInvocationsPushed()
    {
        var echo = Read(new() { [$"{Echo}:Timeout"] = "00:00:30" }, out var errors);

        Assert.Empty(errors);
        Assert.Null(echo.Launch);
        Assert.Null(echo.RuntimeApi);
    }

    [Fact]
    public void Read_BareCommandOnPath_FoundWithTheDefaults()
    {
        var echo = Read(new() { [$"{Echo}:Command"] = "sh", [$"{Echo}:RuntimeApi"] = "fc" }, out var errors);

        Assert.Empty(errors);
        Assert.Equal(RuntimeApiProtocol.Fc, echo.RuntimeApi);
        var launch = Assert.IsType<FunctionLaunchSettings>(echo.Launch);
        Assert.True(Path.IsPathFullyQualified(launch.Command));
        Assert.Equal("sh", Path.GetFileName(launch.Command));
        Assert.Empty(launch.Arguments);
        Assert.Equal(Directory.GetCurrentDirectory(), launch.WorkingDirectory);
        Assert.Empty(launch.Environment);
        Assert.Equal(0, launch.MinInstances);
        Assert.Equal(10, launch.MaxInstances);
        Assert.Equal(TimeSpan.FromMinutes(5), launch.IdleTimeout);
        Assert.False(echo.PreStop);
        Assert.Equal(TimeSpan.FromSeconds(10), launch.StopTimeout);
    }

    [Fact]
    public void Read_EveryLaunchKey_Parsed()
    {
        var echo = Read(
            new()
            {
                [$"{Echo}:RuntimeApi"] = "FC",
                [$"{Echo}:Command"] = Path.GetRelativePath(Directory.GetCurrentDirectory(), "/bin/sh"),
                [$"{Echo}:Arguments:0"] = "-c",
                [$"{Echo}:Arguments:1"] = "exec ./bootstrap",
                [$"{Echo}:Arguments:2"] = "",
                [$"{Echo}:WorkingDirectory"] = "/tmp",
                [$"{Echo}:Environment:LOG_LEVEL"] = "debug",
                [$"{Echo}:Environment:EMPTY"] = "",
                [$"{Echo}:MinInstances"] = "2",
                [$"{Echo}:MaxInstances"] = "2",
                [$"{Echo}:IdleTimeout"] = "00:01:00",
                [$"{Echo}:PreStop"] = "true",
                [$"{Echo}:StopTimeout"] = "00:00:03",
            },
            out var errors);

        Assert.Empty(errors);
        Assert.Equal(RuntimeApiProtocol.Fc, echo.RuntimeApi);
        var launch = Assert.IsType<FunctionLaunchSettings>(echo.Launch);
        Assert.Equal("/bin/sh", launch.Command);
        Assert.Equal(["-c", "exec ./bootstrap", ""], launch.Arguments);
        Assert.Equal("/tmp", launch.WorkingDirectory);
        Assert.Equal(new Dictionary<string, string> { ["LOG_LEVEL"] = "debug", ["EMPTY"] = "" }, launch.Environment);
        Assert.Equal(2, launch.MinInstances);
        Assert.Equal(2, launch.MaxInstances);
        Assert.Equal(TimeSpan.FromMinutes(1), launch.IdleTimeout);
        Assert.True(echo.PreStop);
        Assert.Equal(TimeSpan.FromSeconds(3), launch.StopTimeout);
    }

    [Fact]
    public void Read_BareCommandNotOnPath_ErrorNamesTheFunction()
    {
        Read(Launched("fcx-not-installed"), out var errors);

        Assert.Equal($"{Echo}:Command: 'fcx-not-installed' was not found (not a file, not on PATH): install it, or give its path.", Assert.Single(errors));
    }

    [Theory]
    [InlineData("/nonexistent/fcx", "'/nonexistent/fcx' was not found ('/nonexistent/fcx' does not exist;")]
    [InlineData("./fcx-not-here", "'./fcx-not-here' was not found (")]
    [InlineData("/tmp", "'/tmp' is a directory, not a program.")]
    public void Read_CommandPathNotAProgram_Refused(string command, string problem)
    {
        Read(Launched(command), out var errors);

        Assert.StartsWith($"{Echo}:Command: {problem}", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CommandNotExecutable_Refused()
    {
        var file = Path.GetTempFileName(); // created rw-------
        try
        {
            Read(Launched(file), out var errors);

            Assert.StartsWith($"{Echo}:Command: '{file}' is not executable: chmod +x it", Assert.Single(errors), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <remarks>
    /// A script without <c>#!</c>, an empty file, text that starts like an ELF header: a shell runs each as a shell script,
    /// so it seems to work when tried by hand, but execve refuses it.
    /// </remarks>
    [Theory]
    [InlineData("echo hello\n")]
    [InlineData("")]
    [InlineData("ELF\n")]
    [SupportedOSPlatform("linux")]
    public void Read_ExecutableFileWithNeitherShebangNorElfHeader_RefusedSayingWhatToDo(string content)
    {
        var path = ExecutableTempFile(content);
        try
        {
            Read(Launched(path), out var errors);

            var error = Assert.Single(errors);
            Assert.StartsWith($"{Echo}:Command: '{path}' starts with neither '#!' nor an ELF header, so the system cannot run it", error, StringComparison.Ordinal);
            Assert.EndsWith(
                "put a '#!' line at its top (#!/bin/sh for a shell script), or set Command to its interpreter and put the file in Arguments.", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public void Read_ExecutableFileWithNeitherShebangNorElfHeader_ListedWithTheOtherProblems()
    {
        var path = ExecutableTempFile("echo hello\n");
        try
        {
            Read(new(Launched(path)) { [$"{Echo}:MaxInstances"] = "0" }, out var errors);

            Assert.Equal(2, errors.Count);
            Assert.Contains(errors, error => error.StartsWith($"{Echo}:Command: '{path}' starts with neither '#!'", StringComparison.Ordinal));
            Assert.Contains(errors, error => error.StartsWith($"{Echo}:MaxInstances: '0' must be", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public void Read_ExecutableScriptWithShebang_Accepted()
    {
        var path = ExecutableTempFile("#!/bin/sh\necho hello\n");
        try
        {
            var echo = Read(Launched(path), out var errors);

            Assert.Empty(errors);
            Assert.Equal(path, echo.Launch?.Command);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Read_CommandWithoutRuntimeApi_Refused()
    {
        Read(new() { [$"{Echo}:Command"] = "/bin/sh" }, out var errors);

        Assert.Equal($"{Echo}:Command: instances the gateway starts pull their invocations: set {Echo}:RuntimeApi to fc or lambda.", Assert.Single(errors));
    }

    [Theory]
    [InlineData("RuntimeApi", "aws", "'aws' is not one of fc, lambda")]
    [InlineData("MinInstances", "-1", "'-1' must be a whole number between 0 and")]
    [InlineData("MaxInstances", "0", "'0' must be a whole number between 1 and")]
    [InlineData("MaxInstances", "many", "'many' must be a whole number between 1 and")]
    [InlineData("IdleTimeout", "300", "'300' must be a positive duration")]
    [InlineData("StopTimeout", "00:00:00", "'00:00:00' must be a positive duration")]
    [InlineData("PreStop", "yes", "'yes' is not a boolean")]
    [InlineData("WorkingDirectory", "/nonexistent/dir", "'/nonexistent/dir' is not a directory")]
    [InlineData("Arguments", "--port 9000", "must be a list")]
    [InlineData("Environment", "LOG_LEVEL=debug", "must be an object")]
    [InlineData("Environment:LOG_LEVEL:nested", "debug", "must be a single value, not an object or a list.")]
    [InlineData("Arguments:0:nested", "-c", "must be a single value, not an object or a list.")]
    public void Read_BadLaunchValue_Refused(string key, string value, string problem)
    {
        var values = Launched("/bin/sh");
        values[$"{Echo}:{key}"] = value;

        Read(values, out var errors);

        var error = Assert.Single(errors);
        Assert.StartsWith($"{Echo}:{key.Replace(":nested", "", StringComparison.Ordinal)}: {problem}", error, StringComparison.Ordinal);
    }

    /// <summary>
    /// The gateway's own <c>FCGATEWAY_LAUNCHED=1</c> lets the C# SDK end an instance whose gateway is gone: a function's
    /// <c>Environment</c> that sets it, in any case (the SDK reads its configuration without regard to case), is refused
    /// rather than silently overridden or left to turn it off.
    /// </summary>
    [Theory]
    [InlineData("FCGATEWAY_LAUNCHED", "0")]
    [InlineData("FCGATEWAY_LAUNCHED", "1")]
    [InlineData("fcgateway_launched", "0")]
    public void Read_EnvironmentSettingTheGatewaysLaunchedVariable_Refused(string name, string value)
    {
        var values = Launched("/bin/sh");
        values[$"{Echo}:Environment:{name}"] = value;

        Read(values, out var errors);

        Assert.Equal(
            $"{Echo}:Environment:{name}: the gateway sets FCGATEWAY_LAUNCHED=1 in every instance it launches; a function cannot set it.",
            Assert.Single(errors));
    }

    [Fact]
    public void Read_MaxInstancesBelowMinInstances_Refused()
    {
        var values = Launched("/bin/sh");
        values[$"{Echo}:MinInstances"] = "3";
        values[$"{Echo}:MaxInstances"] = "2";

        Read(values, out var errors);

        Assert.Equal($"{Echo}:MaxInstances: 2 is below MinInstances (3): raise MaxInstances or lower MinInstances.", Assert.Single(errors));
    }

    [Theory]
    [InlineData("Arguments:0")]
    [InlineData("Environment:LOG_LEVEL")]
    [InlineData("MaxInstances")]
    [InlineData("StopTimeout")]
    public void Read_LaunchKeyWithoutCommand_Refused(string key)
    {
        Read(new() { [$"{Echo}:{key}"] = "1" }, out var errors);

        var name = key.Split(':')[0];
        Assert.Equal($"{Echo}:{name}: only used to start the function's instances, and Command is not set: set Command or remove {name}.", Assert.Single(errors));
    }

    [Fact]
    public void Read_UnknownKey_ValidKeysIncludeTheLaunchKeys()
    {
        Read(new() { [$"{Echo}:Comand"] = "/bin/sh" }, out var errors);

        var error = Assert.Single(errors);
        Assert.StartsWith($"{Echo}:Comand: unknown setting; the keys here are ", error, StringComparison.Ordinal);
        Assert.All(
            ["Command", "Arguments", "WorkingDirectory", "Environment", "MinInstances", "MaxInstances", "IdleTimeout", "PreStop", "StopTimeout"],
            key => Assert.Contains($" {key}", error, StringComparison.Ordinal));
    }

    [Fact]
    public void Read_SeveralProblems_EveryOneReported()
    {
        Read(
            new()
            {
                [$"{Echo}:Command"] = "fcx-not-installed",
                [$"{Echo}:MinInstances"] = "5",
                [$"{Echo}:MaxInstances"] = "4",
                [$"{Echo}:IdleTimeout"] = "soon",
                ["Gateway:Functions:other:Arguments:0"] = "-c",
            },
            out var errors);

        Assert.Equal(5, errors.Count);
    }

    [Fact]
    public async Task Gateway_CommandNotFound_RefusesToStartNamingTheFunction()
    {
        var configuration = new GatewayConfiguration().WithFunction("echo", "http://127.0.0.1:9")
            .Set($"{Echo}:RuntimeApi", "fc")
            .Set($"{Echo}:Command", "fcx-not-installed");

        var error = await Assert.ThrowsAsync<GatewayConfigurationException>(() => TestGateway.StartAsync(configuration.Values));

        Assert.Contains(error.Problems, problem => problem.StartsWith($"{Echo}:Command: 'fcx-not-installed' was not found (not a file, not on PATH)", StringComparison.Ordinal));
    }

    private static Dictionary<string, string?> Launched(string command) => new()
    {
        [$"{Echo}:RuntimeApi"] = "fc",
        [$"{Echo}:Command"] = command,
    };

    /// <summary>A new file in the temporary folder, holding <paramref name="content"/>, that its owner may execute.</summary>
    [SupportedOSPlatform("linux")]
    private static string ExecutableTempFile(string content)
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static FunctionSettings Read(Dictionary<string, string?> values, out IReadOnlyList<string> errors)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return GatewaySettingsReader.Read(configuration.GetSection(GatewaySettingsReader.SectionName), out errors).GetFunction("echo");
    }
}
