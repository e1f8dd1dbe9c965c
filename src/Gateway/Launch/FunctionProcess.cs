using System.ComponentModel;
using System.Diagnostics;
using FcGateway.Configuration;

namespace FcGateway.Launch;

/// <summary>
/// One running instance of a launched function: a process of its own (<see cref="FunctionProcessStartInfo"/>) whose
/// stdout and stderr are logged line by line (<see cref="FunctionOutput"/>). Start one with
/// <see cref="LaunchedProcesses.Start"/>, which registers it so that the gateway's shutdown stops it.
/// </summary>
internal sealed partial class FunctionProcess
{
    // Once the process has exited its output is read to the end for at most this long: a child it left behind may keep
    // the pipes open for ever, and the exit must not wait for that child.
    private static readonly TimeSpan OutputDrainTimeout = TimeSpan.FromSeconds(1);

    // util-linux's exit codes for a command it could not execute (127: not found), and the start of its one line then.
    private const int SetprivCouldNotExecute = 126;
    private const int SetprivFoundNothingToExecute = 127;
    private const string SetprivFailurePrefix = "setpriv: failed to execute ";

    private readonly Process _process;
    private readonly ILogger<FunctionProcess> _logger;
    private readonly Lock _gate = new();

    /// <summary>
    /// The caller's variables that name this instance (<c>FC_INSTANCE_ID=…</c>), as <c>NAME=value</c>: what every process it
    /// started inherits, unless it clears its environment.
    /// </summary>
    private readonly HashSet<string> _marks;

    /// <summary>Whether it was started through <c>setpriv</c>, which execs the command in its place.</summary>
    private readonly bool _throughSetpriv;
    private bool _disposed;
    private bool _stopRequested;
    private long _lastPeakMemoryBytes;

    private FunctionProcess(
        string function, string instanceId, Process process, bool throughSetpriv, IReadOnlyDictionary<string, string> variables, ILoggerFactory loggers)
    {
        _throughSetpriv = throughSetpriv;
        Function = function;
        InstanceId = instanceId;
        _marks = [.. variables.Where(variable => variable.Value.Contains(instanceId, StringComparison.Ordinal)).Select(variable => $"{variable.Key}={variable.Value}")];
        Id = process.Id;
        _process = process;
        _logger = loggers.CreateLogger<FunctionProcess>();
        Output = new FunctionOutput(loggers.CreateLogger<FunctionOutput>(), function, instanceId);
        Exited = RunAsync(Output);
    }

    /// <summary>What it writes to stdout and stderr: logged line by line, the latest lines kept for invocations' log tails.</summary>
    public FunctionOutput Output { get; }

    /// <summary>The function this process is an instance of.</summary>
    public string Function { get; }

    /// <summary>The instance's id, as the caller gave it (and the process has it in <c>FC_INSTANCE_ID</c>).</summary>
    public string InstanceId { get; }

    /// <summary>The operating system's process id.</summary>
    public int Id { get; }

    /// <summary>
    /// Completes when the process has ended, for whatever reason, and been reaped, and its output has been logged; its
    /// value is the exit code, 128 + the signal's number when a signal ended the process (as a shell reports it).
    /// Never faults.
    /// </summary>
    public Task<int> Exited { get; }

    /// <summary>
    /// The most memory the process has held (its peak resident set), in bytes. Once it has exited, the peak last read
    /// (0 if it was never read): an exited process's memory can no longer be read.
    /// </summary>
    public long PeakMemoryBytes()
    {
        try
        {
            _process.Refresh();
            var peak = _process.PeakWorkingSet64;
            if (peak > 0)
            {
                Volatile.Write(ref _lastPeakMemoryBytes, peak);
                return peak;
            }
        }
        catch (InvalidOperationException)
        {
            // It has exited.
        }

        return Volatile.Read(ref _lastPeakMemoryBytes);
    }

    /// <summary>
    /// The line <c>setpriv</c> wrote when it could not run the command after all, which the look before the start
    /// (<see cref="ExecutableFile.Runs(string)"/>) cannot tell: a file being written (ETXTBSY), an ELF file whose loader is
    /// missing. The process then exits with 126 (127: not found), that line (<c>setpriv: failed to execute …</c>) all it
    /// wrote. Null for any other end; set before <see cref="Exited"/> completes.
    /// </summary>
    public string? SetprivFailure { get; private set; }

    /// <summary>True once the gateway asked it to stop: its exit is no surprise.</summary>
    public bool StopRequested => Volatile.Read(ref _stopRequested);

    /// <summary>
    /// Starts <paramref name="settings"/>'s command for one instance, <paramref name="variables"/> added to its
    /// environment, through <paramref name="starter"/>.
    /// </summary>
    /// <exception cref="FunctionLaunchException">The process could not be started (the message says which and why).</exception>
    /// <exception cref="InvalidOperationException">The starter has been disposed.</exception>
    public static FunctionProcess Start(
        string function, string instanceId, FunctionLaunchSettings settings, IReadOnlyDictionary<string, string> variables, ProcessStarter starter,
        ILoggerFactory loggers)
    {
        Process process;
        try
        {
            process = starter.Start(FunctionProcessStartInfo.Create(settings, variables));
        }
        catch (Win32Exception ex)
        {
            throw new FunctionLaunchException($"Function '{function}': could not start '{settings.Command}' in '{settings.WorkingDirectory}': {ex.Message}", ex);
        }

        process.StandardInput.Close();
        var started = new FunctionProcess(function, instanceId, process, process.StartInfo.FileName == starter.Setpriv, variables, loggers);
        Log.Started(started._logger, function, instanceId, started.Id, settings.Command);
        return started;
    }

    /// <summary>
    /// Sends SIGTERM, waits up to <paramref name="grace"/> for the process to exit, then kills it and every process it
    /// started; returns once it has been reaped. <paramref name="cancellationToken"/> cuts the grace short: the process
    /// is killed at once, and still reaped before this returns. A process given no grace (zero, or a token cancelled
    /// already) is killed without SIGTERM. On Windows, which has no SIGTERM, only the kill is sent.
    /// </summary>
    public async Task StopAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _stopRequested, true);
        IReadOnlyList<ProcessIdentity> descendants = [];
        var terminated = false;
        var graceRanOut = false;

        // Without time to act on it, SIGTERM would only race the kill, and a process it ended first (exit code 143) would
        // be logged as killed.
        if (grace > TimeSpan.Zero && !cancellationToken.IsCancellationRequested)
        {
            lock (_gate)
            {
                // Checking first keeps the signal from reaching another process that has been given the same id since.
                if (!_disposed && !_process.HasExited && !OperatingSystem.IsWindows())
                {
                    descendants = ProcessTree.DescendantsOf(Id);
                    PosixSignal.Terminate(Id);
                    terminated = true;
                }
            }

            try
            {
                await Exited.WaitAsync(grace, cancellationToken);

                // A wrapper that exits on SIGTERM leaves what it started behind: those go too.
                foreach (var descendant in descendants)
                {
                    descendant.KillIfStillThere();
                }

                return;
            }
            catch (TimeoutException)
            {
                // The grace is over: the process is killed below, unless SIGTERM has ended it meanwhile.
                graceRanOut = true;
            }
            catch (OperationCanceledException)
            {
                // The gateway's shutdown can wait no longer: likewise.
            }
        }

        lock (_gate)
        {
            // Checked under the lock the kill takes: a process that SIGTERM ended during its grace, whose output is still
            // being read, is not said to be killed.
            if (!_disposed && !_process.HasExited)
            {
                LogKilling(grace, terminated, graceRanOut);
                _process.Kill(entireProcessTree: true);
            }
        }

        // A wrapper that SIGTERM ended before its exit was complete (its children may hold its output open) has left them
        // to init, out of the tree the kill walked: those go too.
        foreach (var descendant in descendants)
        {
            descendant.KillIfStillThere();
        }

        await Exited;
    }

    /// <summary>
    /// Says why the kill is sent, as it happened: no grace given (a replacement), the grace run out after SIGTERM (or,
    /// on Windows, without it), or the gateway's shutdown that could wait no longer, before SIGTERM or after it.
    /// </summary>
    private void LogKilling(TimeSpan grace, bool terminated, bool graceRanOut)
    {
        if (grace == TimeSpan.Zero)
        {
            Log.KillingAtOnce(_logger, Function, InstanceId, Id);
        }
        else if (graceRanOut && terminated)
        {
            Log.KillingAfterGrace(_logger, Function, InstanceId, Id, grace);
        }
        else if (graceRanOut)
        {
            Log.KillingAfterGraceWithoutSigterm(_logger, Function, InstanceId, Id, grace);
        }
        else if (terminated)
        {
            Log.KillingAsShutdownCutsGraceShort(_logger, Function, InstanceId, Id, grace);
        }
        else
        {
            Log.KillingAsShutdownCannotWait(_logger, Function, InstanceId, Id);
        }
    }

    private async Task<int> RunAsync(FunctionOutput output)
    {
        using var drain = new CancellationTokenSource();
        var stdout = output.CopyToLogAsync(_process.StandardOutput, "stdout", drain.Token);
        var stderr = output.CopyToLogAsync(_process.StandardError, "stderr", drain.Token);
        await _process.WaitForExitAsync(CancellationToken.None);
        var exitCode = _process.ExitCode;

        // What it started and left behind (a crash, an exit of its own) is no longer in its tree, and nothing else would
        // ever stop it: killed by the instance's variables it inherited. Gone, it no longer holds the output pipes either.
        foreach (var leftBehind in ProcessTree.Carrying(_marks))
        {
            leftBehind.KillIfStillThere();
        }

        drain.CancelAfter(OutputDrainTimeout);
        await Task.WhenAll(stdout, stderr);
        if (_throughSetpriv && exitCode is SetprivCouldNotExecute or SetprivFoundNothingToExecute)
        {
            var written = output.Tail.Since(0);
            SetprivFailure = written.StartsWith(SetprivFailurePrefix, StringComparison.Ordinal) && written.IndexOf('\n', StringComparison.Ordinal) == written.Length - 1
                ? written[..^1]
                : null;
        }
        lock (_gate)
        {
            _disposed = true;

            // Process.Dispose leaves the redirected streams open once they have been read from (it closes them only in
            // its own asynchronous read mode): without this each instance would hold its two pipes until a collection.
            _process.StandardOutput.Dispose();
            _process.StandardError.Dispose();
            _process.Dispose();
        }

        Log.Exited(_logger, Function, InstanceId, Id, exitCode);
        return exitCode;
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.FunctionProcessStarted, LogLevel.Information, "Started instance {InstanceId} of function '{Function}': process {ProcessId}, {Command}.")]
        public static partial void Started(ILogger logger, string function, string instanceId, int processId, string command);

        [LoggerMessage(EventIds.FunctionProcessExited, LogLevel.Information, "Instance {InstanceId} of function '{Function}' (process {ProcessId}) exited with code {ExitCode}.")]
        public static partial void Exited(ILogger logger, string function, string instanceId, int processId, int exitCode);

        [LoggerMessage(EventIds.FunctionProcessKilled, LogLevel.Warning, "Killing instance {InstanceId} of function '{Function}' (process {ProcessId}) and its children: it did not exit within {Grace} of SIGTERM.")]
        public static partial void KillingAfterGrace(ILogger logger, string function, string instanceId, int processId, TimeSpan grace);

        [LoggerMessage(EventIds.FunctionProcessKilled, LogLevel.Warning, "Killing instance {InstanceId} of function '{Function}' (process {ProcessId}) and its children: it did not exit within {Grace} (no SIGTERM was sent: Windows has none).")]
        public static partial void KillingAfterGraceWithoutSigterm(ILogger logger, string function, string instanceId, int processId, TimeSpan grace);

        [LoggerMessage(EventIds.FunctionProcessKilled, LogLevel.Warning, "Killing instance {InstanceId} of function '{Function}' (process {ProcessId}) and its children: it had not exited since SIGTERM when the gateway's shutdown could wait no longer, before its grace of {Grace} was up.")]
        public static partial void KillingAsShutdownCutsGraceShort(ILogger logger, string function, string instanceId, int processId, TimeSpan grace);

        [LoggerMessage(EventIds.FunctionProcessKilled, LogLevel.Warning, "Killing instance {InstanceId} of function '{Function}' (process {ProcessId}) and its children without SIGTERM: the gateway's shutdown could wait no longer.")]
        public static partial void KillingAsShutdownCannotWait(ILogger logger, string function, string instanceId, int processId);

        [LoggerMessage(EventIds.FunctionProcessKilled, LogLevel.Warning, "Killing instance {InstanceId} of function '{Function}' (process {ProcessId}) and its children at once: it is being replaced.")]
        public static partial void KillingAtOnce(ILogger logger, string function, string instanceId, int processId);
    }
}
