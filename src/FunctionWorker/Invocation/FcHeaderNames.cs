namespace FcWorker.Invocation;

/// <summary>The headers the worker reads: those of FC's custom-runtime requests and of the runtime API's <c>next</c> answers.</summary>
internal static class FcHeaderNames
{
    public const string RequestId = "x-fc-request-id";
    public const string FunctionName = "x-fc-function-name";
    public const string FunctionMemory = "x-fc-function-memory";
    public const string FunctionTimeout = "x-fc-function-timeout";
    public const string FunctionDeadline = "x-fc-function-deadline";
    public const string FunctionType = "x-fc-function-type";
    public const string FunctionHandler = "x-fc-function-handler";
    public const string InitializationTimeout = "x-fc-initialization-timeout";
    public const string Region = "x-fc-region";
    public const string AccountId = "x-fc-account-id";
    public const string Qualifier = "x-fc-qualifier";
    public const string VersionId = "x-fc-version-id";
    public const string RetryCount = "x-fc-retry-count";
    public const string AccessKeyId = "x-fc-access-key-id";
    public const string AccessKeySecret = "x-fc-access-key-secret";
    public const string SecurityToken = "x-fc-security-token";
}
