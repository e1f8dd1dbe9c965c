using System.Collections.Concurrent;
using FcGateway.Configuration;
using FcGateway.Outcomes;

namespace FcGateway.Dispatch.Pull;

/// <summary>
/// The runtime API's state: each pull function's mailbox, each launched instance's, and the invocations in flight by id so that a reply finds
/// its invocation (and one for an unknown id, or for another function, finds nothing).
/// </summary>
internal sealed class RuntimeApiDirectory
{
    private readonly ConcurrentDictionary<string, RuntimeApiMailbox> _mailboxes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Function, string Instance), RuntimeApiMailbox> _instances = new(InstanceKeyComparer.Instance);
    private readonly ConcurrentDictionary<string, PulledInvocation> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _timedOut = new(StringComparer.Ordinal);

    // The same maps, read with the spans of a request's path, so that a request to a known address or for an invocation
    // in flight makes no string of its path (the comparers are ordinal either way).
    private readonly ConcurrentDictionary<string, RuntimeApiMailbox>.AlternateLookup<ReadOnlySpan<char>> _mailboxesBySpan;
    private readonly ConcurrentDictionary<(string Function, string Instance), RuntimeApiMailbox>.AlternateLookup<InstanceKeyComparer.Spans> _instancesBySpans;
    private readonly ConcurrentDictionary<string, PulledInvocation>.AlternateLookup<ReadOnlySpan<char>> _inFlightBySpan;
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _timedOutBySpan;
    private readonly ConcurrentQueue<string> _timedOutOrder = new();
    private volatile bool _pollsEnded;
    private GatewaySettingsMonitor? _settings;

    /// <summary>How many timed-out invocations <see cref="TimedOut"/> knows of.</summary>
    public const int TimedOutRemembered = 1024;

    public RuntimeApiDirectory()
    {
        _mailboxesBySpan = _mailboxes.GetAlternateLookup<ReadOnlySpan<char>>();
        _instancesBySpans = _instances.GetAlternateLookup<InstanceKeyComparer.Spans>();
        _inFlightBySpan = _inFlight.GetAlternateLookup<ReadOnlySpan<char>>();
        _timedOutBySpan = _timedOut.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>
    /// <paramref name="name"/>, a function's name in a request's path, as the string the function's address is kept
    /// under; a new string only for a function with no address here.
    /// </summary>
    public string FunctionNamed(ReadOnlySpan<char> name) => _mailboxesBySpan.TryGetValue(name, out var known, out _) ? known : name.ToString();

    /// <summary>
    /// A launched instance's function and id in a request's path, as the strings its address is kept under; new strings
    /// only for an instance with no address here.
    /// </summary>
    public (string Function, string Instance) InstanceNamed(ReadOnlySpan<char> function, ReadOnlySpan<char> instance) =>
        _instancesBySpans.TryGetValue(new(function, instance), out var known, out _) ? known : (function.ToString(), instance.ToString());

    /// <summary>The mailbox that workers of <paramref name="functionName"/> poll.</summary>
    public RuntimeApiMailbox MailboxOf(string functionName) =>
        EndPollsIfEnded(_mailboxes.GetOrAdd(functionName, static name => new RuntimeApiMailbox(name)));

    /// <summary>
    /// The mailbox an invocation of <paramref name="target"/>'s function is posted to. One whose settings predate an edit
    /// that stopped the function pulling as it did, or gave it a <c>Command</c> (a request whose body was still coming
    /// then), gets a retired address of
    /// its own, which answers it at once: not a new address no worker's poll reaches, nor the address of what the
    /// function pulls with now, which the edit's own handler never retires.
    /// </summary>
    public RuntimeApiMailbox MailboxFor(FunctionTarget target)
    {
        var inForce = _settings?.Current.GetFunction(target.FunctionName);
        if (inForce is null || (inForce.RuntimeApi == target.Function.RuntimeApi && inForce.Launch is null))
        {
            return MailboxOf(target.FunctionName);
        }

        var retired = new RuntimeApiMailbox(target.FunctionName);
        retired.Retire(inForce.RuntimeApi == target.Function.RuntimeApi ? NowLaunched(target.FunctionName) : NoLongerPulled(target.FunctionName));
        return retired;
    }

    /// <summary>A new address for the launched instance <paramref name="instanceId"/> of <paramref name="functionName"/>.</summary>
    public RuntimeApiMailbox AddInstance(string functionName, string instanceId) =>
        EndPollsIfEnded(_instances.GetOrAdd((functionName, instanceId), static key => new RuntimeApiMailbox(key.Function, key.Instance)));

    /// <summary>The address of a launched instance, or null when there is no such instance (any more).</summary>
    public RuntimeApiMailbox? InstanceMailbox(string functionName, string instanceId) =>
        _instances.TryGetValue((functionName, instanceId), out var mailbox) ? mailbox : null;

    public void RemoveInstance(string functionName, string instanceId) => _instances.TryRemove((functionName, instanceId), out _);

    /// <summary>
    /// Retires the shared address of each function that stops pulling with the runtime API it pulled with (removed, or
    /// pushed to now), or whose instances the gateway starts from now on (an edit gave it a <c>Command</c>: no invocation
    /// is posted there any more), whenever <paramref name="settings"/> puts others in force: the polls waiting there are ended, the invocations
    /// waiting there for a poll, which none can take any more, are answered at once (503), and a function
    /// added later under the name, which may pull with the other runtime API, gets a new address. A worker started by hand
    /// keeps polling the API it was started with, and its waiting poll would otherwise take the new function's invocations
    /// and send their replies where they are refused.
    /// </summary>
    public RuntimeApiDirectory Following(GatewaySettingsMonitor settings)
    {
        _settings = settings;
        var inForce = settings.Current;
        settings.Applied += applied =>
        {
            foreach (var (name, function) in Interlocked.Exchange(ref inForce, applied).Functions)
            {
                var now = applied.GetFunction(name);
                if (function.RuntimeApi is { } pulled && now.RuntimeApi != pulled && _mailboxes.TryRemove(name, out var mailbox))
                {
                    mailbox.Retire(NoLongerPulled(name));
                }
                else if (function.RuntimeApi is not null && function.Launch is null && now.Launch is not null && _mailboxes.TryRemove(name, out var shared))
                {
                    shared.Retire(NowLaunched(name));
                }
            }
        };
        return this;
    }

    private static InvocationResult NowLaunched(string functionName) => new(
        Outcome.NoInstance,
        $"Function {functionName}'s invocations now go to the instances the gateway starts (an edit gave it a Command), and no worker had taken this one.");

    private static InvocationResult NoLongerPulled(string functionName) => new(
        Outcome.NoInstance,
        $"Function {functionName} no longer pulls its invocations from the runtime API (an edit removed it, or made it take pushed ones) and no worker had taken this one.");

    /// <summary>
    /// The runtime API is stopping: every address, and any made from now on, ends its waiting polls and answers new ones at
    /// once (<see cref="RuntimeApiMailbox.EndPolls"/>). A worker started elsewhere always has a poll waiting; left
    /// waiting, it would hold the listener's stop until the shutdown time ran out.
    /// </summary>
    public void EndPolls()
    {
        _pollsEnded = true;
        foreach (var mailbox in _mailboxes.Values.Concat(_instances.Values))
        {
            mailbox.EndPolls();
        }
    }

    /// <summary>
    /// Remembers that <paramref name="invocation"/> timed out, so that its reply, should it still come, is told so
    /// (<see cref="TimedOut"/>); the last <see cref="TimedOutRemembered"/> are remembered.
    /// </summary>
    public void RememberTimedOut(PulledInvocation invocation)
    {
        if (_timedOut.TryAdd(invocation.RequestId, invocation.FunctionName))
        {
            _timedOutOrder.Enqueue(invocation.RequestId);
            while (_timedOutOrder.Count > TimedOutRemembered && _timedOutOrder.TryDequeue(out var oldest))
            {
                _timedOut.TryRemove(oldest, out _);
            }
        }
    }

    /// <summary>Whether the invocation <paramref name="requestId"/> of <paramref name="functionName"/> timed out lately.</summary>
    public bool TimedOut(string functionName, ReadOnlySpan<char> requestId) => _timedOutBySpan.TryGetValue(requestId, out var function) && function == functionName;

    /// <summary>Registers an invocation under its id; false when an invocation with that id is already in flight.</summary>
    public bool TryAdd(PulledInvocation invocation) => _inFlight.TryAdd(invocation.RequestId, invocation);

    public void Remove(PulledInvocation invocation) => _inFlight.TryRemove(new KeyValuePair<string, PulledInvocation>(invocation.RequestId, invocation));

    /// <summary>The invocation <paramref name="requestId"/> of <paramref name="functionName"/> in flight, or null.</summary>
    public PulledInvocation? Find(string functionName, ReadOnlySpan<char> requestId) =>
        _inFlightBySpan.TryGetValue(requestId, out var invocation) && invocation.FunctionName == functionName ? invocation : null;

    /// <summary>A mailbox made while <see cref="EndPolls"/> ran, which it may have missed, ends its polls too.</summary>
    private RuntimeApiMailbox EndPollsIfEnded(RuntimeApiMailbox mailbox)
    {
        if (_pollsEnded)
        {
            mailbox.EndPolls();
        }

        return mailbox;
    }
}
