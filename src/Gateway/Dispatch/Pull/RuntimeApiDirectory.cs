using System.Collections.Concurrent;

namespace FcGateway.Dispatch.Pull;

/// <summary>
/// The runtime API's state: each pull function's mailbox, each launched instance's, and the invocations in flight by id so that a reply finds
/// its invocation (and one for an unknown id, or for another function, finds nothing).
/// </summary>
internal sealed class RuntimeApiDirectory
{
    private readonly ConcurrentDictionary<string, RuntimeApiMailbox> _mailboxes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Function, string Instance), RuntimeApiMailbox> _instances = new();
    private readonly ConcurrentDictionary<string, PulledInvocation> _inFlight = new(StringComparer.Ordinal);

    /// <summary>The mailbox that workers of <paramref name="functionName"/> poll.</summary>
    public RuntimeApiMailbox MailboxOf(string functionName) =>
        _mailboxes.GetOrAdd(functionName, static name => new RuntimeApiMailbox(name));

    /// <summary>A new address for the launched instance <paramref name="instanceId"/> of <paramref name="functionName"/>.</summary>
    public RuntimeApiMailbox AddInstance(string functionName, string instanceId) =>
        _instances.GetOrAdd((functionName, instanceId), static key => new RuntimeApiMailbox(key.Function, key.Instance));

    /// <summary>The address of a launched instance, or null when there is no such instance (any more).</summary>
    public RuntimeApiMailbox? InstanceMailbox(string functionName, string instanceId) =>
        _instances.TryGetValue((functionName, instanceId), out var mailbox) ? mailbox : null;

    public void RemoveInstance(string functionName, string instanceId) => _instances.TryRemove((functionName, instanceId), out _);

    /// <summary>Registers an invocation under its id; false when an invocation with that id is already in flight.</summary>
    public bool TryAdd(PulledInvocation invocation) => _inFlight.TryAdd(invocation.RequestId, invocation);

    public void Remove(PulledInvocation invocation) => _inFlight.TryRemove(new KeyValuePair<string, PulledInvocation>(invocation.RequestId, invocation));

    /// <summary>The invocation <paramref name="requestId"/> of <paramref name="functionName"/> in flight, or null.</summary>
    public PulledInvocation? Find(string functionName, string requestId) =>
        _inFlight.TryGetValue(requestId, out var invocation) && invocation.FunctionName == functionName ? invocation : null;
}
