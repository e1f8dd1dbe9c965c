namespace FcGateway.Dispatch.Push;

/// <summary>The common request headers of FC's custom-runtime contract (wire contract §2) and the reply status header.</summary>
internal static class WorkerHeaderNames
{
    public const string RequestId = "x-fc-request-id";
    public const string FunctionName = "x-fc-function-name";
    public const string FunctionMemory = "x-fc-function-memory";
    public const string FunctionTimeout = "x-fc-function-timeout";
    public const string FunctionHandler = "x-fc-function-handler";
    public const string FunctionInitializer = "x-fc-function-initializer";
    public const string InitializationTimeout = "x-fc-initialization-timeout";
    public const string Region = "x-fc-region";
    public const string AccountId = "x-fc-account-id";
    public const string Qualifier = "x-fc-qualifier";
    public const string VersionId = "x-fc-version-id";
    public const string RetryCount = "x-fc-retry-count";
    public const string ControlPath = "x-fc-control-path";
    public const string AccessKeyId = "x-fc-access-key-id";
    public const string AccessKeySecret = "x-fc-access-key-secret";
    public const string SecurityToken = "x-fc-security-token";
    public const string Status = "x-fc-status";

    /// <summary>The response header carrying the request id on every gateway response.</summary>
    public const string ResponseRequestId = "X-Fc-Request-Id";
}
