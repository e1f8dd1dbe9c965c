using System.Globalization;
using FcGateway.Configuration;
using FcGateway.Dispatch.Push;

namespace FcGateway.Dispatch.Pull;

/// <summary>
/// The variables a launched instance finds in its environment: its own runtime API address, and what the platform its
/// runtime was written for tells a function process — FC's (wire contract §13) or Lambda's (§14).
/// </summary>
internal static class InstanceEnvironment
{
    /// <summary>The version a Lambda function's process is told it runs (<c>AWS_LAMBDA_FUNCTION_VERSION</c>).</summary>
    public const string LambdaVersion = "$LATEST";

    /// <param name="runtimeApi">The instance's runtime API address: <c>host:port</c>, and its prefix where it has no port of its own.</param>
    /// <param name="functionName">The function.</param>
    /// <param name="instanceId">The instance, whose address is its own.</param>
    /// <param name="function">The function's settings.</param>
    /// <param name="gateway">The gateway's settings (region, account).</param>
    /// <param name="launchedAt">When the instance is launched: the date of a Lambda log stream's name.</param>
    public static Dictionary<string, string> For(
        string runtimeApi, string functionName, string instanceId, FunctionSettings function, GatewaySettings gateway, DateTimeOffset launchedAt)
    {
        return function.RuntimeApi == RuntimeApiProtocol.Lambda
            ? new(StringComparer.Ordinal)
            {
                ["AWS_LAMBDA_RUNTIME_API"] = runtimeApi,
                ["AWS_LAMBDA_FUNCTION_NAME"] = functionName,
                ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = HeaderNumbers.Format(function.MemorySize),
                ["AWS_LAMBDA_FUNCTION_VERSION"] = LambdaVersion,
                // Lambda's names: code that builds a log link or checks it runs in Lambda reads these.
                ["AWS_LAMBDA_LOG_GROUP_NAME"] = $"/aws/lambda/{functionName}",
                ["AWS_LAMBDA_LOG_STREAM_NAME"] = LogStreamName(instanceId, launchedAt),
                ["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand",
                ["LAMBDA_TASK_ROOT"] = function.Launch!.WorkingDirectory,
                ["AWS_REGION"] = gateway.Region,
                ["AWS_DEFAULT_REGION"] = gateway.Region,
                ["_HANDLER"] = function.Handler,
            }
            : new(StringComparer.Ordinal)
            {
                ["FC_RUNTIME_API"] = runtimeApi,
                ["FC_FUNCTION_NAME"] = functionName,
                ["FC_FUNCTION_HANDLER"] = function.Handler,
                ["FC_FUNCTION_MEMORY_SIZE"] = HeaderNumbers.Format(function.MemorySize),
                ["FC_REGION"] = gateway.Region,
                ["FC_ACCOUNT_ID"] = gateway.AccountId,
                ["FC_INSTANCE_ID"] = instanceId,
                ["FC_QUALIFIER"] = function.Qualifier,
                ["FC_INSTANCE_CONCURRENCY"] = function.InstanceConcurrency.ToString(CultureInfo.InvariantCulture),
            };
    }

    /// <summary>Lambda's shape, <c>yyyy/MM/dd/[$LATEST]{id}</c>, with the instance id as the id.</summary>
    public static string LogStreamName(string instanceId, DateTimeOffset launchedAt) =>
        string.Create(CultureInfo.InvariantCulture, $"{launchedAt.UtcDateTime:yyyy'/'MM'/'dd}/[{LambdaVersion}]{instanceId}");
}
