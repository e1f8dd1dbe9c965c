using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Versioning;
using FcGateway.Launch;

namespace Gateway.Tests.Launch;

/// <summary>Real processes (<c>/bin/sh</c> scripts) started through <c>setpriv</c>, which is Linux's; each test stops what it starts.</summary>
[SupportedOSPlatform("linux")]
public sealed class ProcessStarterTests
{
    private const int TrappedSigterm = 7;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public void FindSetpriv_OnLinux_FindsOneWithParentDeathSignal()
    {
        Assert.True(OperatingSystem.IsLinux());
        Assert.NotNull(ProcessStarter.FindSetpriv());
    }

    [Fact]
    public async Task Dispose_TheStartingThreadEnds_EveryProcessStartedFromAnyThreadGetsSigterm()
    {
        // Linux sends the parent-death signal when the thread that forked the child ends: the callers' threads (the test's
        // and the pool's) live on, so only a start on the starter's own thread, which Dispose ends, makes these get it.
        var starter = new ProcessStarter(ProcessStarter.FindSetpriv());
        var started = new List<Process> { starter.Start(Shell($"trap 'echo term; exit {TrappedSigterm}' TERM; echo ready; while :; do sleep 0.1; done")) };
        started.AddRange(await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            Task.Run(() => starter.Start(Shell($"trap 'echo term; exit {TrappedSigterm}' TERM; echo ready; while :; do sleep 0.1; done"))))));
        try
        {
            foreach (var process in started)
            {
                Assert.Equal("ready", await process.StandardOutput.ReadLineAsync().WaitAsync(Bound));
            }

            starter.Dispose();

            foreach (var process in started)
            {
                await process.WaitForExitAsync().WaitAsync(Bound);
                Assert.Equal(TrappedSigterm, process.ExitCode);
                Assert.Equal("term", await process.StandardOutput.ReadLineAsync().WaitAsync(Bound));
            }
        }
        finally
        {
            foreach (var process in started)
            {
                process.Kill(entireProcessTree: true);
                process.Dispose();
            }

            starter.Dispose();
        }
    }

    [Fact]
    public async Task Start_ThroughSetpriv_TheProcessIsTheCommandItself()
    {
        using var starter = new ProcessStarter(ProcessStarter.FindSetpriv());
        const string Script = "echo ready; read -r line";
        using var process = starter.Start(Shell(Script));
        try
        {
            Assert.Equal("ready", await process.StandardOutput.ReadLineAsync().WaitAsync(Bound));

            // setpriv exec'd the command in its own process: the id is the command's, and so is its command line.
            Assert.Equal($"/bin/sh\0-c\0{Script}\0", await File.ReadAllTextAsync($"/proc/{process.Id}/cmdline"));
            Assert.Equal(Environment.ProcessId, ProcessTree.StatOf(process.Id)?.Parent);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Start_ThroughSetpriv_TheProcessHasSigtermAsItsParentDeathSignal()
    {
        using var starter = new ProcessStarter(ProcessStarter.FindSetpriv());
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("import ctypes; s = ctypes.c_int(); ctypes.CDLL(None).prctl(2, ctypes.byref(s)); print(s.value)");
        using var process = starter.Start(info);

        Assert.Equal("15", (await process.StandardOutput.ReadToEndAsync().WaitAsync(Bound)).Trim());
        await process.WaitForExitAsync().WaitAsync(Bound);
    }

    [Theory]
    [InlineData("a script run through /usr/bin/env")]
    [InlineData("a symlink to that script")]
    public async Task Start_ScriptKnownToRun_GetsSigtermAsItsParentDeathSignal(string command)
    {
        var directory = Directory.CreateTempSubdirectory("fcgateway-starter-");
        try
        {
            var script = Path.Join(directory.FullName, "function.py");
            File.WriteAllText(script, "#!/usr/bin/env python3\nimport ctypes\ns = ctypes.c_int()\nctypes.CDLL(None).prctl(2, ctypes.byref(s))\nprint(s.value)\n");
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var path = script;
            if (command == "a symlink to that script")
            {
                path = Path.Join(directory.FullName, "function");
                File.CreateSymbolicLink(path, script);
            }

            using var starter = new ProcessStarter(ProcessStarter.FindSetpriv());
            using var process = starter.Start(new ProcessStartInfo(path) { RedirectStandardOutput = true, UseShellExecute = false });

            Assert.Equal("15", (await process.StandardOutput.ReadToEndAsync().WaitAsync(Bound)).Trim());
            await process.WaitForExitAsync().WaitAsync(Bound);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("not executable")]
    [InlineData("a directory")]
    [InlineData("not a program")]
    [InlineData("a script whose interpreter is missing")]
    [InlineData("a script whose #! line ends in CRLF")]
    [InlineData("an empty file")]
    [InlineData("a script whose interpreter is a directory")]
    [InlineData("a script whose interpreter is not executable")]
    public void Start_CommandThatCannotStart_ThrowsWhatProcessStartThrows(string problem)
    {
        var directory = Directory.CreateTempSubdirectory("fcgateway-starter-");
        try
        {
            var command = Path.Join(directory.FullName, "function");
            if (problem == "not executable")
            {
                File.WriteAllText(command, "#!/bin/sh\necho never\n");
            }
            else if (problem == "a directory")
            {
                Directory.CreateDirectory(command);
            }
            else if (problem != "missing")
            {
                File.WriteAllBytes(command, problem switch
                {
                    "not a program" => [0, 1, 2, 3, 4, 5, 6, 7],
                    "a script whose #! line ends in CRLF" => "#!/bin/sh\r\necho never\r\n"u8.ToArray(),
                    "an empty file" => [],
                    "a script whose interpreter is a directory" => "#!/tmp\n"u8.ToArray(),
                    "a script whose interpreter is not executable" => "#!/etc/passwd\n"u8.ToArray(),
                    _ => "#!/nonexistent/interpreter\n"u8.ToArray(),
                });
                File.SetUnixFileMode(command, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var direct = Assert.Throws<Win32Exception>(() => Process.Start(new ProcessStartInfo(command) { WorkingDirectory = "/tmp", UseShellExecute = false }));
            using var starter = new ProcessStarter(ProcessStarter.FindSetpriv());

            var wrapped = Assert.Throws<Win32Exception>(() => starter.Start(new ProcessStartInfo(command) { WorkingDirectory = "/tmp", UseShellExecute = false }));

            Assert.Equal(direct.Message, wrapped.Message);
            Assert.Equal(direct.NativeErrorCode, wrapped.NativeErrorCode);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <remarks>
    /// The starter's thread is made by the first start, on a caller's thread (a request's, as it cold-starts an instance):
    /// it must not keep that caller's execution context (its Activity, its log scopes) for as long as the gateway runs.
    /// </remarks>
    [Fact]
    public async Task Start_TheStartersThread_KeepsNothingOfItsFirstCallersContext()
    {
        var (callersState, starter) = await StartUnderAsyncLocalAsync();
        using var disposed = starter;

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(callersState.IsAlive);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<(WeakReference CallersState, ProcessStarter Starter)> StartUnderAsyncLocalAsync()
    {
        var state = new object();
        var reference = new WeakReference(state);
        var starter = await Task.Run(async () =>
        {
            // Made where the gateway makes it: at the first launch, in the launching request's context.
            var local = new AsyncLocal<object> { Value = state };
            var made = new ProcessStarter(ProcessStarter.FindSetpriv());
            using var process = made.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false });
            await process.WaitForExitAsync().WaitAsync(Bound);
            local.Value = null!;
            return made;
        });
        return (reference, starter);
    }

    /// <remarks>The working directory is checked when the settings are read, but may be removed while the gateway runs.</remarks>
    [Fact]
    public void Start_WorkingDirectoryGone_ThrowsWhatProcessStartThrows_NamingTheCommand()
    {
        var gone = Path.Join(Path.GetTempPath(), $"fcgateway-starter-gone-{Guid.NewGuid():N}");
        var direct = Assert.Throws<Win32Exception>(() => Process.Start(new ProcessStartInfo("/bin/sh") { WorkingDirectory = gone, UseShellExecute = false }));
        using var starter = new ProcessStarter(ProcessStarter.FindSetpriv());

        var wrapped = Assert.Throws<Win32Exception>(() => starter.Start(new ProcessStartInfo("/bin/sh") { WorkingDirectory = gone, UseShellExecute = false }));

        Assert.Equal(direct.Message, wrapped.Message);
        Assert.Equal(direct.NativeErrorCode, wrapped.NativeErrorCode);
    }

    private static ProcessStartInfo Shell(string script) =>
        new("/bin/sh") { ArgumentList = { "-c", script }, RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
}
