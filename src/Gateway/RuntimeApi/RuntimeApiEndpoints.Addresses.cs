using FcGateway.Configuration;
using FcGateway.Dispatch.Pull;

namespace FcGateway.RuntimeApi;

/// <summary>Where a request counts: the address a poll or a reply reaches.</summary>
internal sealed partial class RuntimeApiEndpoints
{
    /// <summary>
    /// The address a worker speaking <paramref name="wire"/> reached, or null when it serves no such function or instance.
    /// A function whose instances the gateway launches has no shared address: nothing is posted there, so a poll there
    /// (a worker started by hand beside them) would wait for ever. A launched instance's address is its own until the
    /// instance exits, whatever a reload did to its function since: the instance of a function an edit removed (or made
    /// to take pushed invocations) polls there for its pre-stop while it is being stopped. Only a function that now pulls
    /// with the other runtime API refuses it.
    /// </summary>
    private RuntimeApiMailbox? MailboxAt(RuntimeApiWire wire, string function, string? instance) =>
        instance is null ? (IsPullFunction(function, wire.Protocol) && !IsLaunched(function) ? directory.MailboxOf(function) : null)
        : settings.Current.GetFunction(function).RuntimeApi is { } pulled && pulled != wire.Protocol ? null
        : directory.InstanceMailbox(function, instance);

    /// <summary>
    /// Where a reply for <paramref name="invocation"/> counts: the address it was handed out from, in the protocol it was
    /// handed out in. A launched instance's address is its own for as long as it runs, and a function's shared address
    /// stays the one its workers took the invocation from, so the invocations they took before a reload removed the
    /// function (or made it take pushed invocations) finish under the settings they started with, as every in-flight
    /// invocation does; a launched instance is stopped once it runs nothing.
    /// </summary>
    private RuntimeApiMailbox? ReplyAddressAt(RuntimeApiWire wire, string function, string? instance, PulledInvocation invocation) =>
        invocation.Function.RuntimeApi != wire.Protocol ? null
        : instance is not null ? directory.InstanceMailbox(function, instance)
        : invocation.DeliveredFrom is { IsShared: true } shared ? shared
        : null;

    private bool IsPullFunction(string function, RuntimeApiProtocol protocol) =>
        settings.Current.Functions.TryGetValue(function, out var settingsOfFunction) && settingsOfFunction.RuntimeApi == protocol;

    private bool IsLaunched(string function) => settings.Current.GetFunction(function).Launch is not null;
}
