
namespace FcGateway.Configuration;

/// <summary>
/// The direct invocation API (<c>Gateway:InvokeApi</c>). With no bearer token configured it accepts calls
/// from loopback peers only; give it tokens before exposing it beyond the machine.
/// </summary>
public sealed record InvokeApiSettings
{
    /// <summary>The defaults: enabled, loopback only.</summary>
    public static readonly InvokeApiSettings Default = new();

    /// <summary>False switches the API off: its path then answers 404 FunctionNotFound.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Tokens accepted as <c>Authorization: Bearer &lt;token&gt;</c>; empty means loopback callers only.</summary>
    public IReadOnlyList<string> BearerTokens { get; init; } = [];

    /// <summary>
    /// AWS access key ids and their secret access keys (<c>AwsAccessKeys:{id}</c>): Lambda's Invoke API takes a call signed
    /// with one (AWS Signature Version 4, as the AWS CLI and SDKs sign) from any caller. Empty: no signature is checked.
    /// </summary>
    public IReadOnlyDictionary<string, string> AwsAccessKeys { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Asynchronous invocations accepted and not yet finished (running, waiting for an instance or for a retry); one
    /// more is refused with 429 ResourceExhausted. They are held in memory, each with its payload.
    /// </summary>
    public int MaxPendingAsyncInvocations { get; init; } = 1000;

    /// <summary>
    /// How many times an asynchronous invocation that failed in the function is run again; unset (null), each platform's
    /// default: 3 for an FC function (FC's), 2 for a Lambda function (Lambda's <c>MaximumRetryAttempts</c>).
    /// </summary>
    public int? AsyncRetryAttempts { get; init; }

    /// <summary>How many times an asynchronous invocation of <paramref name="function"/> that failed in it is run again.</summary>
    public int RetryAttemptsOf(FunctionSettings function) =>
        AsyncRetryAttempts ?? (function.RuntimeApi == RuntimeApiProtocol.Lambda ? 2 : 3);
}
