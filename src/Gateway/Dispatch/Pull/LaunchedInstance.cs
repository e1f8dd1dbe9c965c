using FcGateway.Launch;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch.Pull;

/// <summary>One process the gateway started for a function, with its own runtime API address.</summary>
internal sealed class LaunchedInstance(
    FunctionProcess process, RuntimeApiMailbox mailbox, InstanceAddress? ownAddress, long startedTimestamp, IReadOnlyList<string> definition)
{
    private readonly TaskCompletionSource _startEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _served;

    public string Id => process.InstanceId;

    public FunctionProcess Process => process;

    public RuntimeApiMailbox Mailbox => mailbox;

    /// <summary>Its port of its own (a Lambda instance's), closed once it exited; null for a path prefix of the runtime API's.</summary>
    public InstanceAddress? OwnAddress => ownAddress;

    /// <summary>The instance as the scheduler and telemetry see it.</summary>
    public DestinationState Destination => mailbox.Instance;

    /// <summary>What the process was started with (<see cref="LaunchedInstanceLauncher.DefinitionOf"/>: what a reload compares).</summary>
    public IReadOnlyList<string> Definition => definition;

    /// <summary>When the process was started (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long StartedTimestamp { get; } = startedTimestamp;

    /// <summary>
    /// Completes once it is ready, or was given up on before it was; the invocations waiting for an instance have been
    /// served by it, or failed if no other instance was coming, by then.
    /// </summary>
    public Task StartEnded => _startEnded.Task;

    /// <summary>When its last invocation ended, or it became ready (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long LastUsedTimestamp { get; set; }

    /// <summary>From the process's start to its first poll; zero until it polled.</summary>
    public TimeSpan InitDuration { get; set; }

    /// <summary>True once it polled: it takes invocations.</summary>
    public bool IsReady { get; set; }

    /// <summary>True once the gateway decided to stop it: it takes no new invocations.</summary>
    public bool IsStopping { get; set; }

    /// <summary>
    /// True from the moment the gateway set out to stop its process (pre-stop, SIGTERM, a kill) until the pool saw it
    /// exit: meanwhile it counts towards <c>MaxInstances</c>.
    /// </summary>
    public bool IsCountedAsStopping { get; set; }

    public void EndStart() => _startEnded.TrySetResult();

    /// <summary>True for the first invocation it runs: that one waited for the process to start (a cold start).</summary>
    public bool TakeFirstInvocation() => Interlocked.Exchange(ref _served, 1) == 0;
}
