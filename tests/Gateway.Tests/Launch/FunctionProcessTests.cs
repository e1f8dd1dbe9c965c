using System.Runtime.Versioning;
using FcGateway;
using FcGateway.Configuration;
using FcGateway.Launch;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Launch;

/// <summary>Real processes (<c>/bin/sh</c> scripts); each test stops what it starts.</summary>
public sealed class FunctionProcessTests : IAsyncLifetime, IDisposable
{
    private const string OutputCategory = "FcGateway.Launch.FunctionOutput";
    private static readonly Dictionary<string, string> NoVariables = [];

    private readonly CapturedLogs _logs = new();
    private readonly LoggerFactory _loggers;
    private readonly List<FunctionProcess> _started = [];
    private readonly ProcessStarter _starter = new(ProcessStarter.FindSetpriv());

    public FunctionProcessTests()
    {
        _loggers = new LoggerFactory([_logs]);
    }

    [Fact]
    public async Task Output_StdoutAndStderrLines_OneEntryEachNamingFunctionAndInstance()
    {
        var process = Start(Shell("echo one; echo two; echo three >&2"));

        Assert.Equal(0, await process.Exited.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(
            ["Information FcGateway.Launch.FunctionOutput: echo i-1 stderr: three", "Information FcGateway.Launch.FunctionOutput: echo i-1 stdout: one", "Information FcGateway.Launch.FunctionOutput: echo i-1 stdout: two"],
            OutputLines().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Output_ControlCharacters_Escaped()
    {
        var process = Start(Shell(@"printf 'red \033[31mtext\n'; printf 'forged\r\nINFO: fake\n'; printf 'carriage\rreturn\n' >&2"));

        await process.Exited.WaitAsync(TimeSpan.FromSeconds(20));
        var lines = OutputLines();
        Assert.Contains(lines, line => line.EndsWith(@"stdout: red \u001b[31mtext", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.EndsWith("stdout: forged", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.EndsWith("stdout: INFO: fake", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.EndsWith(@"stderr: carriage\u000dreturn", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Any(char.IsControl));
    }

    [Fact]
    public async Task Output_LineLongerThanTheCap_TruncatedAndMarked()
    {
        var process = Start(Shell("head -c 10000 /dev/zero | tr '\\0' x; echo; echo next"));

        await process.Exited.WaitAsync(TimeSpan.FromSeconds(20));
        var lines = OutputLines();
        Assert.EndsWith($"stdout: {new string('x', LogText.MaxTextLength)}… (more than 8192 characters in all)", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("stdout: next", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_LineOfControlCharacters_EscapedTextIsBounded_AtAWholeEscape()
    {
        // Escaped, 8,192 characters a function echoes from a client (ESC) would be 49,152: a line that container
        // runtimes split at 16 KB, its continuation a record of its own that starts with the client's text.
        var process = Start(Shell("head -c 10000 /dev/zero | tr '\\0' '\\033'; echo; head -c 3000 /dev/zero | tr '\\0' '\\033'; echo"));

        await process.Exited.WaitAsync(TimeSpan.FromSeconds(20));
        var lines = OutputLines();
        var escapes = string.Concat(Enumerable.Repeat("\\u001b", LogText.MaxTextLength / 6));
        Assert.EndsWith($"stdout: {escapes}… (more than 8192 characters in all)", lines[0], StringComparison.Ordinal);
        Assert.EndsWith($"stdout: {escapes}… (3000 characters in all)", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exited_ProcessEndsOnItsOwn_CompletesWithTheExitCode()
    {
        var process = Start(Shell("exit 3"));

        Assert.Equal(3, await process.Exited.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.True(_logs.Contains($"Instance i-1 of function 'echo' (process {process.Id}) exited with code 3."));
    }

    [Fact]
    public async Task Exited_ChildLeftBehindHoldsTheOutput_CompletesAllTheSame()
    {
        var process = Start(Shell("sleep 1000 & echo \"child $!\""));
        await Eventually.HoldsAsync(() => OutputLines().Count == 1);
        using var child = System.Diagnostics.Process.GetProcessById(int.Parse(OutputLines()[0].Split("child ")[1], System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            Assert.Equal(0, await process.Exited.WaitAsync(TimeSpan.FromSeconds(20)));
        }
        finally
        {
            child.Kill();
        }
    }

    [Fact]
    public async Task Exited_ProcessEndsOnItsOwn_WhatItStartedAndLeftBehindIsKilled()
    {
        // Its child carries the instance's variables; the id is the test's own, so no other test's process carries them.
        var instanceId = $"c-{Guid.NewGuid():N}";
        var process = FunctionProcess.Start(
            "echo", instanceId, Shell("sleep 1000 & echo \"child $!\""), new Dictionary<string, string> { ["FC_INSTANCE_ID"] = instanceId }, _starter, _loggers);
        _started.Add(process);
        await Eventually.HoldsAsync(() => OutputLines().Count == 1);
        using var child = System.Diagnostics.Process.GetProcessById(int.Parse(OutputLines()[0].Split("child ")[1], System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            Assert.Equal(0, await process.Exited.WaitAsync(TimeSpan.FromSeconds(20)));

            await Eventually.HoldsAsync(() => IsGoneOrZombie(child.Id));
        }
        finally
        {
            child.Kill();
        }
    }

    [Fact]
    public async Task Exited_ProcessEnded_ItsOutputPipesAreClosedInTheGateway()
    {
        // The process names its own pipes (pipe:[inode]); the gateway holds their read ends until it closes them.
        var process = Start(Shell("echo \"out $(readlink /proc/self/fd/1)\"; echo \"err $(readlink /proc/self/fd/2)\" >&2"));

        await process.Exited.WaitAsync(TimeSpan.FromSeconds(20));
        var pipes = OutputLines().Select(line => line[(line.LastIndexOf(' ') + 1)..]).ToList();
        Assert.Equal(2, pipes.Count);
        Assert.All(pipes, pipe => Assert.StartsWith("pipe:[", pipe, StringComparison.Ordinal));
        var held = Directory.GetFiles("/proc/self/fd").Select(OpenFileTarget).Where(pipes.Contains).ToList();
        Assert.Empty(held);
    }

    [Fact]
    public async Task OutputSettleAsync_ProcessExited_ReturnsWithItsLines()
    {
        var process = Start(Shell("echo last words"));

        await process.Exited.WaitAsync(TimeSpan.FromSeconds(20));
        await process.Output.SettleAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("last words\n", process.Output.Tail.Since(0));
    }

    [Fact]
    public async Task OutputSettleAsync_LineNotYetEnded_IsInTheTail_AndItsRestIsALineOfItsOwn()
    {
        // fmt.Print("done") at the end of an invocation: the tail of that invocation has it, the next one only what follows.
        var go = Path.Combine(Path.GetTempPath(), $"go-{Guid.NewGuid():N}");
        var process = Start(Shell($"printf 'first\\ndone'; while [ ! -e {go} ]; do sleep 0.01; done; printf ' later\\n'; exec sleep 1000"));
        await Eventually.HoldsAsync(() => process.Output.Tail.Since(0).StartsWith("first\n", StringComparison.Ordinal));

        await process.Output.SettleAsync().WaitAsync(TimeSpan.FromSeconds(20));
        var first = process.Output.Tail.Since(0);
        var mark = process.Output.Tail.Mark();
        await File.WriteAllTextAsync(go, "");
        await Eventually.HoldsAsync(() => process.Output.Tail.Since(mark).Length > 0);
        File.Delete(go);

        Assert.Equal("first\ndone\n", first);
        Assert.Equal(" later\n", process.Output.Tail.Since(mark));
        Assert.EndsWith("stdout: done", OutputLines()[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutputSettleAsync_ProcessClosedBothStreams_ReturnsAtOnce()
    {
        // Read to their end, the pipes can bring nothing more: a log tail has nothing to wait for, however long it runs.
        var process = Start(Shell("echo closing; exec >&- 2>&-; exec sleep 1000"));

        await Eventually.HoldsAsync(() => process.Output.SettleAsync().IsCompleted);
    }

    [Fact]
    public async Task Start_Variables_ReachTheProcessOverTheFunctionsEnvironment()
    {
        var settings = Shell("echo \"$FC_INSTANCE_ID $FC_FUNCTION_NAME $GREETING\"") with
        {
            Environment = new Dictionary<string, string> { ["GREETING"] = "hello", ["FC_INSTANCE_ID"] = "from-configuration" },
        };

        var process = Start(settings, new Dictionary<string, string> { ["FC_INSTANCE_ID"] = "i-1", ["FC_FUNCTION_NAME"] = "echo" });

        await process.Exited.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.EndsWith("stdout: i-1 echo hello", Assert.Single(OutputLines()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_Arguments_PassedAsTheyAreWithoutAShell()
    {
        var process = Start(new FunctionLaunchSettings { Command = "/bin/sh", Arguments = ["-c", "printf '%s|' \"$@\"; echo", "sh", "a b", "$HOME", "", "*"] });

        await process.Exited.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.EndsWith("stdout: a b|$HOME||*|", Assert.Single(OutputLines()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WorkingDirectory_IsTheProcesssCurrentDirectory()
    {
        var process = Start(Shell("pwd") with { WorkingDirectory = "/tmp" });

        await process.Exited.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.EndsWith("stdout: /tmp", Assert.Single(OutputLines()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WorkingDirectory_IsTheProcesssPwd_NotTheGateways()
    {
        // env is no shell: it shows PWD as it was given, where a shell would correct it itself.
        var process = Start(new FunctionLaunchSettings { Command = "/usr/bin/env", WorkingDirectory = "/tmp" });

        await process.Exited.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains(OutputLines(), line => line.EndsWith("stdout: PWD=/tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void Start_CommandThatCannotStart_ExceptionNamesFunctionAndCommand()
    {
        var error = Assert.Throws<FunctionLaunchException>(() => Start(new FunctionLaunchSettings { Command = "/nonexistent/fcx" }));

        Assert.StartsWith("Function 'echo': could not start '/nonexistent/fcx'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_FileThatIsNotExecutable_ExceptionNamesFunctionAndCommand()
    {
        var file = Path.GetTempFileName();
        try
        {
            var error = Assert.Throws<FunctionLaunchException>(() => Start(new FunctionLaunchSettings { Command = file }));

            Assert.StartsWith($"Function 'echo': could not start '{file}' in ", error.Message, StringComparison.Ordinal);
            Assert.EndsWith("Permission denied", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <remarks>An ELF file for this machine, so started through setpriv, which then cannot execute it: its loader is missing.</remarks>
    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task SetprivFailure_SetprivCouldNotRunTheCommand_IsTheLineItWrote()
    {
        var directory = Directory.CreateTempSubdirectory("fcgateway-process-");
        try
        {
            var program = MissingLoaderProgram.Create(directory.FullName);
            var process = Start(new FunctionLaunchSettings { Command = program });

            Assert.Equal(127, await process.Exited.WaitAsync(TimeSpan.FromSeconds(20)));
            Assert.Equal($"setpriv: failed to execute {program}: No such file or directory", process.SetprivFailure);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task SetprivFailure_CommandThatExits127OfItsOwn_IsNull()
    {
        var process = Start(Shell("fcx-not-installed"));

        Assert.Equal(127, await process.Exited.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains(OutputLines(), line => line.Contains("fcx-not-installed", StringComparison.Ordinal));
        Assert.Null(process.SetprivFailure);
    }

    [Fact]
    public async Task Start_ThroughSetpriv_TheLoggedProcessRunsTheFunctionsCommand()
    {
        const string Script = "echo ready; while :; do sleep 0.1; done";
        var process = Start(Shell(Script));
        await Eventually.HoldsAsync(() => _logs.Contains("stdout: ready"));

        Assert.Equal($"/bin/sh\0-c\0{Script}\0", await File.ReadAllTextAsync($"/proc/{process.Id}/cmdline"));
        Assert.True(_logs.Contains($"process {process.Id}, /bin/sh."));
    }

    [Fact]
    public async Task StopAsync_ProcessHandlesSigterm_ExitsOnItsOwnWithoutAKill()
    {
        var process = Start(Shell("trap 'echo stopping; exit 0' TERM; echo ready; while :; do sleep 0.1; done"));
        await Eventually.HoldsAsync(() => _logs.Contains("stdout: ready"));

        await process.StopAsync(TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(0, await process.Exited);
        Assert.True(_logs.Contains("stdout: stopping"));
        Assert.False(_logs.Contains("Killing"));
    }

    [Fact]
    public async Task StopAsync_WrapperExitsOnSigterm_WhatItStartedGoesToo()
    {
        var process = Start(Shell("sleep 1000 & echo \"child $!\"; wait"));
        await Eventually.HoldsAsync(() => OutputLines().Count == 1);
        var child = int.Parse(OutputLines()[0].Split("child ")[1], System.Globalization.CultureInfo.InvariantCulture);

        await process.StopAsync(TimeSpan.FromSeconds(20), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(process.Exited.IsCompleted);
        await Eventually.HoldsAsync(() => IsGoneOrZombie(child));
    }

    [Fact]
    public async Task StopAsync_WrapperDiesOfSigtermButTheGraceEndsFirst_WhatItStartedGoesToo()
    {
        // The child holds the output pipes, so the wrapper's exit is complete only a second after it died of SIGTERM:
        // the grace ends first, and the kill finds the child no longer in the wrapper's tree (init adopted it).
        var process = Start(Shell("sleep 1000 & echo \"child $!\"; wait"));
        await Eventually.HoldsAsync(() => OutputLines().Count == 1);
        var child = int.Parse(OutputLines()[0].Split("child ")[1], System.Globalization.CultureInfo.InvariantCulture);

        await process.StopAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(128 + 15, await process.Exited);
        Assert.False(_logs.Contains("Killing"), "the wrapper had died of SIGTERM: it was not killed");
        await Eventually.HoldsAsync(() => IsGoneOrZombie(child));
    }

    [Fact]
    public async Task StopAsync_ProcessIgnoresSigterm_KilledWithItsChildrenAfterTheGrace()
    {
        var process = Start(Shell("trap '' TERM; sleep 1000 & echo \"child $!\"; wait"));
        await Eventually.HoldsAsync(() => OutputLines().Count == 1);
        var child = int.Parse(OutputLines()[0].Split("child ")[1], System.Globalization.CultureInfo.InvariantCulture);

        await process.StopAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(process.Exited.IsCompleted);
        Assert.Equal(128 + 9, await process.Exited);
        Assert.Equal(
            [$"Warning FcGateway.Launch.FunctionProcess: Killing instance i-1 of function 'echo' (process {process.Id}) and its children: it did not exit within 00:00:00.2000000 of SIGTERM."],
            KillLines());
        await Eventually.HoldsAsync(() => IsGoneOrZombie(child));
    }

    /// <summary>The host's shutdown time runs out after SIGTERM was sent, before the grace is up: the kill says so.</summary>
    [Fact]
    public async Task StopAsync_CancelledAfterSigterm_KillsAndSaysTheShutdownCouldWaitNoLonger()
    {
        var process = Start(Shell("trap 'echo terminated' TERM; echo ready; while :; do sleep 0.1; done"));
        await Eventually.HoldsAsync(() => _logs.Contains("stdout: ready"));
        using var shutdown = new CancellationTokenSource();

        var stopping = process.StopAsync(TimeSpan.FromMinutes(10), shutdown.Token);
        await Eventually.HoldsAsync(() => _logs.Contains("stdout: terminated"));
        await shutdown.CancelAsync();
        await stopping.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(128 + 9, await process.Exited);
        Assert.Equal(
            [$"Warning FcGateway.Launch.FunctionProcess: Killing instance i-1 of function 'echo' (process {process.Id}) and its children: it had not exited since SIGTERM when the gateway's shutdown could wait no longer, before its grace of 00:10:00 was up."],
            KillLines());
    }

    [Fact]
    public async Task StopAsync_Cancelled_KillsAtOnce()
    {
        var process = Start(Shell("trap '' TERM; echo ready; while :; do sleep 0.1; done"));
        await Eventually.HoldsAsync(() => _logs.Contains("stdout: ready"));

        await process.StopAsync(TimeSpan.FromMinutes(10), new CancellationToken(canceled: true)).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(128 + 9, await process.Exited);
    }

    /// <remarks>
    /// <c>sleep</c> leaves SIGTERM to its default action, which the kernel makes the process's exit status the moment the
    /// signal is sent: a SIGTERM sent just before the kill would end it with 143, under a line saying it was killed.
    /// </remarks>
    [Theory]
    [InlineData("no grace")]
    [InlineData("a cancelled token")]
    public async Task StopAsync_NoTimeForSigterm_KillsWithoutIt_SoTheKillItLogsIsWhatEndsIt(string stop)
    {
        var process = Start(new FunctionLaunchSettings { Command = "/bin/sleep", Arguments = ["1000"] });

        await (stop == "no grace"
            ? process.StopAsync(TimeSpan.Zero, CancellationToken.None)
            : process.StopAsync(TimeSpan.FromMinutes(10), new CancellationToken(canceled: true))).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(128 + 9, await process.Exited);
        var why = stop == "no grace" ? " at once: it is being replaced." : " without SIGTERM: the gateway's shutdown could wait no longer.";
        Assert.Equal([$"Warning FcGateway.Launch.FunctionProcess: Killing instance i-1 of function 'echo' (process {process.Id}) and its children{why}"], KillLines());
    }

    [Fact]
    public async Task StopAsync_NoGrace_ProcessAlreadyExited_NotSaidToBeKilled()
    {
        var process = Start(Shell("exit 0"));
        await process.Exited.WaitAsync(TimeSpan.FromSeconds(20));

        await process.StopAsync(TimeSpan.Zero, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.False(_logs.Contains("Killing"));
    }

    /// <remarks>
    /// The process has exited, but a child it left behind holds its output open, which is read for a while yet: its
    /// <see cref="FunctionProcess.Exited"/> has not completed. A stop with no grace sends it no kill, so says none.
    /// </remarks>
    [Fact]
    public async Task StopAsync_NoGrace_ProcessExitedWhileItsOutputIsStillRead_NotSaidToBeKilled()
    {
        var process = Start(Shell("sleep 1000 & echo \"child $!\""));
        await Eventually.HoldsAsync(() => OutputLines().Count == 1);
        using var child = System.Diagnostics.Process.GetProcessById(int.Parse(OutputLines()[0].Split("child ")[1], System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            await Eventually.HoldsAsync(() => IsGoneOrZombie(process.Id));

            await process.StopAsync(TimeSpan.Zero, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

            Assert.False(_logs.Contains("Killing"));
        }
        finally
        {
            child.Kill();
        }
    }

    [Fact]
    public async Task StopAsync_ProcessAlreadyExited_Returns()
    {
        var process = Start(Shell("exit 0"));
        await process.Exited.WaitAsync(TimeSpan.FromSeconds(20));

        await process.StopAsync(TimeSpan.FromMinutes(1), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.False(_logs.Contains("Killing"));
    }

    [Fact]
    public async Task PeakMemoryBytes_OnceTheProcessHasExited_IsThePeakLastRead()
    {
        var process = Start(Shell("exec sleep 1000"));
        var peak = process.PeakMemoryBytes();
        Assert.True(peak > 0);

        await process.StopAsync(TimeSpan.FromMinutes(1), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(peak, process.PeakMemoryBytes());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_started.Select(process => process.StopAsync(TimeSpan.Zero, CancellationToken.None)));
        _starter.Dispose();
    }

    public void Dispose()
    {
        _loggers.Dispose();
        _logs.Dispose();
    }

    private static FunctionLaunchSettings Shell(string script) => new() { Command = "/bin/sh", Arguments = ["-c", script] };

    /// <summary>A process killed while the test runs under an init that does not reap stays a zombie: dead all the same.</summary>
    private static bool IsGoneOrZombie(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>What an entry of <c>/proc/self/fd</c> is open on (<c>pipe:[inode]</c> for a pipe); empty when it closed meanwhile.</summary>
    private static string OpenFileTarget(string fd)
    {
        try
        {
            return new FileInfo(fd).LinkTarget ?? "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    private FunctionProcess Start(FunctionLaunchSettings settings, IReadOnlyDictionary<string, string>? variables = null)
    {
        var process = FunctionProcess.Start("echo", "i-1", settings, variables ?? NoVariables, _starter, _loggers);
        _started.Add(process);
        return process;
    }

    private List<string> OutputLines() =>
        _logs.Lines.Where(line => line.StartsWith($"Information {OutputCategory}: ", StringComparison.Ordinal)).ToList();

    /// <summary>The lines that say a process is being killed.</summary>
    private List<string> KillLines() => _logs.Lines.Where(line => line.Contains("Killing instance", StringComparison.Ordinal)).ToList();
}
