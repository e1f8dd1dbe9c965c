using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using FcGateway.Configuration;

namespace FcGateway.Launch;

/// <summary>
/// Starts every function process from one dedicated thread that lives until <see cref="Dispose"/>, through util-linux's
/// <c>setpriv --pdeathsig TERM</c> where there is one (Linux): each process gets SIGTERM from the kernel when that thread
/// ends, so when the gateway dies, killed outright included. Linux ties the parent-death signal to the thread that
/// forked the child, and <c>Process.Start</c> forks from the thread that calls it: a thread-pool thread, which retires
/// when idle, would have the instance stopped while the gateway lives. <c>setpriv</c> execs the command in the same
/// process, so the process id is the instance's own and its command line the function's.
/// </summary>
internal sealed class ProcessStarter : IDisposable
{
    /// <summary>How long <c>setpriv --help</c> may take before the gateway goes on without it.</summary>
    private static readonly TimeSpan HelpBound = TimeSpan.FromSeconds(5);

    private static readonly Lazy<string?> MachineSetpriv = new(FindOnThisMachine);

    private readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> _requests = [];
    private readonly Thread _thread;
    private int _disposed;

    /// <summary>Starts the dedicated thread (the gateway makes its starter at its first launch).</summary>
    /// <param name="setpriv">The absolute path of <c>setpriv</c>; null to start commands directly, without the signal.</param>
    public ProcessStarter(string? setpriv)
    {
        Setpriv = setpriv;

        // UnsafeStart: the thread would otherwise keep its maker's execution context (the first launch's request, its
        // Activity and log scopes) for as long as it lives.
        _thread = new Thread(StartRequested) { IsBackground = true, Name = "Function process starter" };
        _thread.UnsafeStart();
    }

    /// <summary>The <c>setpriv</c> every command is started through; null where commands are started directly.</summary>
    public string? Setpriv { get; }

    /// <summary>
    /// <c>setpriv</c> where this is Linux and it has <c>--pdeathsig</c> (util-linux 2.33 and later), found on <c>PATH</c>
    /// or at <c>/usr/bin/setpriv</c>; null otherwise. Looked for once per process.
    /// </summary>
    public static string? FindSetpriv() => MachineSetpriv.Value;

    private static string? FindOnThisMachine()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var path = ExecutableLookup.Find("setpriv", "/", out _) ?? (File.Exists("/usr/bin/setpriv") ? "/usr/bin/setpriv" : null);
        return path is not null && HasParentDeathSignal(path) ? path : null;
    }

    /// <summary>
    /// Starts <paramref name="info"/>'s command on the dedicated thread, through <see cref="Setpriv"/> if there is one, and
    /// returns once it has been started. Its environment, working directory, arguments and redirections are the ones given.
    /// </summary>
    /// <exception cref="Win32Exception">The command could not be started: the error <c>Process.Start</c> gives.</exception>
    /// <exception cref="InvalidOperationException">The starter has been disposed.</exception>
    public Process Start(ProcessStartInfo info)
    {
        // setpriv would start, then fail to exec a command that cannot run: one not known to run is left to Process.Start,
        // which throws as it always has (or starts it without the signal). So is one whose working directory cannot be
        // entered (removed since the settings were read): Process.Start's error would name setpriv, not the command.
        if (Setpriv is not null && ExecutableFile.Runs(info.FileName)
            && (info.WorkingDirectory.Length == 0 || ExecutableFile.CanEnter(info.WorkingDirectory)))
        {
            var command = info.FileName;
            info.FileName = Setpriv;
            string[] wrapper = ["--pdeathsig", "TERM", "--", command];
            for (var index = 0; index < wrapper.Length; index++)
            {
                info.ArgumentList.Insert(index, wrapper[index]);
            }
        }

        var process = new Process { StartInfo = info };
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _requests.Add((process, started));
            started.Task.GetAwaiter().GetResult();
        }
        catch
        {
            process.Dispose();
            throw;
        }

        return process;
    }

    /// <summary>
    /// Ends the dedicated thread once the starts already asked for are done; any process started through
    /// <see cref="Setpriv"/> that still runs gets SIGTERM. Call once every process has been stopped; a second call does nothing.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _requests.CompleteAdding();
        _thread.Join();
        _requests.Dispose();
    }

    private void StartRequested()
    {
        foreach (var (process, started) in _requests.GetConsumingEnumerable())
        {
            try
            {
                process.Start();
                started.SetResult();
            }
            catch (Exception ex)
            {
                started.SetException(ex);
            }
        }
    }

    /// <summary>
    /// True when <paramref name="setpriv"/>'s help lists <c>--pdeathsig</c> (util-linux 2.32 and older lack it); false
    /// when it cannot be run or does not answer within <see cref="HelpBound"/>.
    /// </summary>
    private static bool HasParentDeathSignal(string setpriv)
    {
        var info = new ProcessStartInfo(setpriv) { ArgumentList = { "--help" }, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        try
        {
            // Nothing asynchronous is waited for: the first launch asks from a thread-pool thread that holds its function's
            // pool lock, with other requests blocked on that lock, and a read's completion would need yet another pool
            // thread (on a cold two-core gateway, none came for up to a second). The help (~3 KB) fits in a pipe's buffer,
            // so setpriv exits before anything is read.
            using var process = Process.Start(info)!;
            if (!process.WaitForExit(HelpBound))
            {
                process.Kill();
                return false;
            }

            return process.StandardOutput.ReadToEnd().Contains("--pdeathsig", StringComparison.Ordinal);
        }
        catch (Win32Exception)
        {
            return false;
        }
    }
}
