using System.Globalization;
using FcGateway.Configuration;
using FcGateway.Dispatch.Push;

namespace FcGateway.Dispatch.Pull;

/// <summary>
/// The variables a launched instance finds in its environment: its own runtime API address, what the platform its
/// runtime was written for tells a function process — FC's (wire contract §13) or Lambda's (§14) — and the gateway's own.
/// </summary>
internal static class InstanceEnvironment
{
    /// <summary>The version a Lambda function's process is told it runs (<c>AWS_LAMBDA_FUNCTION_VERSION</c>).</summary>
    public const string LambdaVersion = "$LATEST";

    /// <summary>
    /// The gateway's own variable, read by its C# SDK: the runtime API also speaks cleartext HTTP/2 with prior knowledge
    /// (the runtime API's <c>CleartextHttp2Detection</c>). A function's <c>Environment</c> may set it to <c>http/1.1</c>.
    /// </summary>
    public const string RuntimeApiProtocolVariable = "FCGATEWAY_RUNTIME_API_PROTOCOL";

    /// <summary>
    /// The gateway's own variable, <c>1</c> in every instance it launches (FC and Lambda alike): the instance is the
    /// gateway's, so its C# SDK stops once a failed poll shows the gateway gone, rather than retrying for ever as an
    /// orphan. A function's <c>Environment</c> cannot set it (the configuration is refused).
    /// </summary>
    public const string LaunchedVariable = "FCGATEWAY_LAUNCHED";

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
            ? Lambda(runtimeApi, functionName, instanceId, function, gateway, launchedAt)
            : Fc(runtimeApi, functionName, instanceId, function, gateway);
    }

    private static Dictionary<string, string> Fc(string runtimeApi, string functionName, string instanceId, FunctionSettings function, GatewaySettings gateway)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
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
            [LaunchedVariable] = "1",
        };

        if (function.Launch?.Environment.ContainsKey(RuntimeApiProtocolVariable) != true)
        {
            environment[RuntimeApiProtocolVariable] = "h2c";
        }

        // FC's system variables for the function role's credentials, which Alibaba Cloud's SDKs read by default; the
        // configured credentials stand for the role's, as in the x-fc-* headers of each invocation. Configured at all,
        // they are set whole: one left out is empty rather than inherited from the gateway's own environment, where it
        // would belong to other credentials.
        var credentials = function.Credentials;
        if (credentials.AccessKeyId is not null || credentials.AccessKeySecret is not null || credentials.SecurityToken is not null)
        {
            environment["ALIBABA_CLOUD_ACCESS_KEY_ID"] = credentials.AccessKeyId ?? "";
            environment["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = credentials.AccessKeySecret ?? "";
            environment["ALIBABA_CLOUD_SECURITY_TOKEN"] = credentials.SecurityToken ?? "";
        }

        return environment;
    }

    private static Dictionary<string, string> Lambda(
        string runtimeApi, string functionName, string instanceId, FunctionSettings function, GatewaySettings gateway, DateTimeOffset launchedAt)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
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
            [LaunchedVariable] = "1",
        };

        // Lambda Managed Instances tell a process how many invocations it may run at once; aws-lambda-go (and the
        // runtime clients written for them) then poll with that many loops, and with one loop when it is unset. Left
        // unset at 1, as on-demand Lambda leaves it, so a runtime client keeps its one-at-a-time mode.
        if (function.InstanceConcurrency > 1)
        {
            environment["AWS_LAMBDA_MAX_CONCURRENCY"] = function.InstanceConcurrency.ToString(CultureInfo.InvariantCulture);
        }

        return environment;
    }

    /// <summary>Lambda's shape, <c>yyyy/MM/dd/[$LATEST]{id}</c>, with the instance id as the id.</summary>
    public static string LogStreamName(string instanceId, DateTimeOffset launchedAt) =>
        string.Create(CultureInfo.InvariantCulture, $"{launchedAt.UtcDateTime:yyyy'/'MM'/'dd}/[{LambdaVersion}]{instanceId}");
}
