using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Dispatch.Push;
using FcGateway.Http;
using FcGateway.Outcomes;

namespace FcGateway.Dispatch.Pull;

/// <summary>
/// The lifecycle invocations of a launched function's instances — the initializer (<c>x-fc-function-type: 1</c>) on a
/// new one, the pre-stop (2) on one about to stop — posted to the instance's own mailbox over the runtime API with an
/// empty payload, bounded by their timeout or cut short by the process's exit. A failure is logged, and the caller
/// told.
/// </summary>
internal sealed partial class LifecycleInvocations(
    string functionName, GatewaySettingsMonitor settings, RuntimeApiDirectory directory, RequestIdGenerator requestIds, TimeProvider time, ILogger logger)
{
    /// <summary>The initializer, bounded by the function's <c>InitializationTimeout</c>; false (logged) when it failed.</summary>
    public async Task<bool> InitializeAsync(LaunchedInstance instance, FunctionSettings function)
    {
        if (await RunAsync(instance, function, PulledInvocation.InitializerType, "initialize", function.InitializationTimeout) is not { } failure)
        {
            return true;
        }

        Log.InitializationFailed(logger, functionName, instance.Id, LogText.EscapeText(failure));
        return false;
    }

    /// <summary>The pre-stop invocation, when <paramref name="function"/> asks for one (bounded by its <c>Timeout</c>); a failure is logged.</summary>
    public async Task PreStopAsync(LaunchedInstance instance, FunctionSettings function)
    {
        if (function.PreStop && await RunAsync(instance, function, PulledInvocation.PreStopType, "prestop", function.Timeout) is { } failure)
        {
            Log.PreStopFailed(logger, functionName, instance.Id, LogText.EscapeText(failure));
        }
    }

    /// <summary>
    /// Runs a lifecycle invocation on an instance, bounded by <paramref name="timeout"/>; null when it succeeded, else why
    /// it failed. It runs under <paramref name="function"/>, the settings the instance is started or stopped with, not
    /// those in force: a pre-stop sent once a reload removed the function needs its reply taken at the instance's address
    /// all the same.
    /// </summary>
    private async Task<string?> RunAsync(LaunchedInstance instance, FunctionSettings function, string functionType, string name, TimeSpan timeout)
    {
        using var output = new PooledBuffer();
        var payload = new BufferPayload(ReadOnlyMemory<byte>.Empty);
        var invocation = new PulledInvocation(
            requestIds.Next(), functionName, function, settings.Current, payload, output, time.GetUtcNow() + timeout, functionType);
        directory.TryAdd(invocation);
        try
        {
            instance.Mailbox.TryPost(invocation, int.MaxValue);
            var answered = invocation.Result.WaitAsync(timeout, time);
            await Task.WhenAny(answered, instance.Process.Exited);
            if (!answered.IsCompleted)
            {
                InvocationResult exited = new(Outcome.WorkerCrashed, $"the process exited during the {name} invocation");
                invocation.Abandon(exited, exited);
            }
            else if (answered.Exception is not null)
            {
                // Its timeout, read here so that it counts as observed: nothing awaits this task, and a fault never looked
                // at would reach the unobserved-task handler once it is collected.
                InvocationResult timedOut = new(Outcome.Timeout, $"the {name} invocation did not answer within {timeout}");
                invocation.Abandon(timedOut, timedOut);
            }

            var result = await invocation.Result;
            return result.Outcome == Outcome.Success ? null : $"{result.Reason} {WorkerErrorText.From(result, output.WrittenSpan)}";
        }
        finally
        {
            directory.Remove(invocation);
            instance.Mailbox.Forget(invocation);
            await invocation.SendingEnded;
            await payload.ReadingEnded.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.InstanceInitializationFailed, LogLevel.Warning, "Function '{Function}': the initializer of instance {InstanceId} failed, so the instance is not used: {Reason}")]
        public static partial void InitializationFailed(ILogger logger, string function, string instanceId, string reason);

        [LoggerMessage(EventIds.InstancePreStopFailed, LogLevel.Warning, "Function '{Function}': the pre-stop invocation of instance {InstanceId} failed; it is stopped anyway: {Reason}")]
        public static partial void PreStopFailed(ILogger logger, string function, string instanceId, string reason);
    }
}
