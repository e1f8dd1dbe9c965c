namespace FcGateway.Configuration;

/// <summary>
/// How the gateway starts a function's instances as processes of its own, from the keys of
/// <c>Gateway:Functions:{name}</c> beside <c>Command</c>. Paths are resolved and checked when the settings are read.
/// </summary>
public sealed record FunctionLaunchSettings
{
    /// <summary>The program's absolute path: <c>Command</c> as configured, found on <c>PATH</c> when a bare name, else relative to the gateway's current directory.</summary>
    public required string Command { get; init; }

    /// <summary>The program's arguments, passed as they are (no shell parses them).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The process's absolute working directory. Default: the gateway's current directory.</summary>
    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>Variables added to the process's environment, over the gateway's own (the <c>FC_*</c> variables of an instance win over these).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Instances kept running even when idle. Default 0.</summary>
    public int MinInstances { get; init; }

    /// <summary>Instances the function may have at once. Default 10, never below <see cref="MinInstances"/>.</summary>
    public int MaxInstances { get; init; } = 10;

    /// <summary>How long an instance may go without an invocation before it is stopped (above <see cref="MinInstances"/>). Default five minutes.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long an instance may take to exit after SIGTERM before it is killed. Default ten seconds.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
