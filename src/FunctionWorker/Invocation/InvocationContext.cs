using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FcWorker.Invocation;

/// <summary>The <see cref="IFunctionContext"/> of one call, pushed or pulled, read from its headers; owns the deadline's cancellation.</summary>
internal sealed class InvocationContext : IFunctionContext, IDisposable
{
    public const int DefaultMemoryInMB = 512;
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private const int MaxTimeoutSeconds = 86_400;
    private readonly CancellationTokenSource _cancellation;

    private InvocationContext(CancellationTokenSource cancellation) => _cancellation = cancellation;

    public required string RequestId { get; init; }

    public required string FunctionName { get; init; }

    public required int MemoryLimitInMB { get; init; }

    public required TimeSpan Timeout { get; init; }

    public required string Handler { get; init; }

    public required string Region { get; init; }

    public required string AccountId { get; init; }

    public required string Qualifier { get; init; }

    public required string VersionId { get; init; }

    public required int RetryCount { get; init; }

    public required FunctionCredentials Credentials { get; init; }

    public required DateTimeOffset Deadline { get; init; }

    public CancellationToken CancellationToken => _cancellation.Token;

    public required ILogger Logger { get; init; }

    /// <summary>Reads the context; malformed or missing headers fall back to the documented defaults, never to an error.</summary>
    public static InvocationContext FromCall(PlatformCall call, string timeoutHeader, ILogger logger)
    {
        var headers = call.Headers;
        var timeout = ReadSeconds(headers, timeoutHeader) is { } seconds ? TimeSpan.FromSeconds(seconds) : DefaultTimeout;
        var now = DateTimeOffset.UtcNow;
        var deadline = ReadDeadline(headers, now) ?? now + timeout;
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(call.CallerGone);
        cancellation.CancelAfter(deadline > now ? deadline - now : TimeSpan.Zero);
        return new InvocationContext(cancellation)
        {
            RequestId = Read(headers, FcHeaderNames.RequestId) is { Length: > 0 } id ? id : NewRequestId(),
            FunctionName = Read(headers, FcHeaderNames.FunctionName),
            MemoryLimitInMB = ReadPositive(headers, FcHeaderNames.FunctionMemory, int.MaxValue) ?? DefaultMemoryInMB,
            Timeout = timeout,
            Handler = Read(headers, FcHeaderNames.FunctionHandler),
            Region = Read(headers, FcHeaderNames.Region),
            AccountId = Read(headers, FcHeaderNames.AccountId),
            Qualifier = Read(headers, FcHeaderNames.Qualifier),
            VersionId = Read(headers, FcHeaderNames.VersionId),
            RetryCount = ReadPositive(headers, FcHeaderNames.RetryCount, int.MaxValue) ?? 0,
            Credentials = ReadCredentials(headers),
            Deadline = deadline,
            Logger = logger,
        };
    }

    public void Dispose() => _cancellation.Dispose();

    private static string Read(IHeaderDictionary headers, string name) => headers[name].ToString();

    private static int? ReadSeconds(IHeaderDictionary headers, string name) => ReadPositive(headers, name, MaxTimeoutSeconds);

    private static int? ReadPositive(IHeaderDictionary headers, string name, int max) =>
        int.TryParse(headers[name].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= max
            ? value
            : null;

    /// <summary>
    /// The runtime API's <c>x-fc-function-deadline</c> (Unix milliseconds); one already past still counts (the call is
    /// cancelled at once), one further ahead than the longest timeout does not.
    /// </summary>
    private static DateTimeOffset? ReadDeadline(IHeaderDictionary headers, DateTimeOffset now) =>
        long.TryParse(headers[FcHeaderNames.FunctionDeadline].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
        && milliseconds <= now.AddSeconds(MaxTimeoutSeconds).ToUnixTimeMilliseconds()
            ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
            : null;

    private static FunctionCredentials ReadCredentials(IHeaderDictionary headers)
    {
        var accessKeyId = Read(headers, FcHeaderNames.AccessKeyId);
        var accessKeySecret = Read(headers, FcHeaderNames.AccessKeySecret);
        var securityToken = Read(headers, FcHeaderNames.SecurityToken);
        return accessKeyId.Length + accessKeySecret.Length + securityToken.Length == 0
            ? FunctionCredentials.Empty
            : new FunctionCredentials(accessKeyId, accessKeySecret, securityToken);
    }

    /// <summary>A request id in FC's shape, for calls made straight to the worker without one.</summary>
    private static string NewRequestId() =>
        $"1-{DateTimeOffset.UtcNow.ToUnixTimeSeconds():x8}-{RandomNumberGenerator.GetHexString(24, lowercase: true)}";
}
