using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using FcGateway.Configuration;
using FcGateway.Launch;

namespace FcGateway.Dispatch.Pull;

/// <summary>
/// Starts one process of a function for its <see cref="LaunchedInstancePool"/>: the instance's id, its runtime API
/// address (a port of its own for Lambda, a path prefix for FC), its environment, and its definition — what a reload
/// compares to tell an outdated instance. A start whose program cannot be run is undone whole.
/// </summary>
internal sealed class LaunchedInstanceLauncher(
    string functionName, GatewaySettingsMonitor settings, RuntimeApiDirectory directory, LaunchedProcesses processes,
    IRuntimeApiListener listener, TimeProvider time)
{
    /// <summary>
    /// Starts a process for <paramref name="function"/>, the function's settings in force, with the runtime API listening
    /// at <paramref name="address"/>; false, with the <paramref name="error"/> for the log, when its program could not be run.
    /// </summary>
    public bool TryLaunch(
        FunctionSettings function, Uri address, [NotNullWhen(true)] out LaunchedInstance? instance, [NotNullWhen(false)] out string? error)
    {
        var id = "c-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var mailbox = directory.AddInstance(functionName, id);
        InstanceAddress? ownAddress = null;
        FunctionProcess process;
        IReadOnlyList<string> definition;
        try
        {
            // Lambda's runtime clients for Node.js and Rust refuse a path in AWS_LAMBDA_RUNTIME_API, and Python's posts
            // init/error to its host:port alone, so a Lambda instance gets a port of its own; FC's SDK keeps a path, so an
            // FC instance gets a prefix.
            ownAddress = function.RuntimeApi == RuntimeApiProtocol.Lambda ? listener.OpenInstanceAddress(functionName, id) : null;
            var runtimeApi = ownAddress?.Authority ?? $"{address.Authority}/functions/{Uri.EscapeDataString(functionName)}/instances/{id}";
            var variables = InstanceEnvironment.For(runtimeApi, functionName, id, function, settings.Current, time.GetUtcNow());
            definition = DefinitionOf(function);

            // The instance outlives the invocation that made it start: neither its output nor its watch belongs to that
            // request's log scope or trace.
            using (ExecutionContext.SuppressFlow())
            {
                process = processes.Start(functionName, id, function.Launch!, variables);
            }
        }
        catch (Exception ex) when (ex is FunctionLaunchException or InvalidOperationException or IOException or SocketException)
        {
            ownAddress?.Dispose();
            directory.RemoveInstance(functionName, id);
            instance = null;
            error = ex.Message;
            return false;
        }

        instance = new LaunchedInstance(process, mailbox, ownAddress, time.GetTimestamp(), definition);
        error = null;
        return true;
    }

    /// <summary>
    /// What a process of the function is started with, as <paramref name="function"/> says: its command line, working
    /// directory and environment (the function's own variables and the ones the gateway sets, but for the instance's own
    /// address and id). Counted, so that no two differ only in where one list ends.
    /// </summary>
    public string[] DefinitionOf(FunctionSettings function)
    {
        var launch = function.Launch!;
        var environment = launch.Environment.Concat(InstanceEnvironment.For("", functionName, "", function, settings.Current, DateTimeOffset.UnixEpoch))
            .Select(variable => $"{variable.Key}={variable.Value}")
            .Order(StringComparer.Ordinal);
        return [launch.Command, launch.WorkingDirectory, launch.Arguments.Count.ToString(CultureInfo.InvariantCulture), .. launch.Arguments, .. environment];
    }
}
