using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace FcGateway.RuntimeApi;

/// <summary>
/// Kestrel's limits on the runtime API's listener, which only the functions' own processes reach: set for what the
/// runtime clients send, not for the clients of the gateway.
/// </summary>
internal static class RuntimeApiListenerLimits
{
    /// <summary>
    /// aws-lambda-go sends the error's X-Ray cause (its message and stack, as JSON) in the
    /// <c>Lambda-Runtime-Function-Xray-Error-Cause</c> header of <c>/error</c> when it is under 1 MiB, and exits when the
    /// post is not answered 202: Kestrel's default 32 KB would turn a function error with a long message into a crash.
    /// </summary>
    public const int MaxRequestHeadersTotalBytes = (1024 * 1024) + (32 * 1024);

    /// <summary>
    /// int.MaxValue milliseconds, the longest function <c>Timeout</c>. Not <see cref="Timeout.InfiniteTimeSpan"/>: Kestrel
    /// holds that as <see cref="TimeSpan.MaxValue"/>, adds it to the current timestamp, and the sum, overflowed, closes
    /// every idle connection at its next heartbeat, under a second after its last response.
    /// </summary>
    public static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromMilliseconds(int.MaxValue);

    public static void Apply(KestrelServerLimits limits)
    {
        // A reply's size is checked against the function's MaxResponseBodyBytes as it is read.
        limits.MaxRequestBodySize = null;
        limits.MaxRequestHeadersTotalSize = MaxRequestHeadersTotalBytes;

        // A function streams its response at its own pace (a token a second is not rare); its deadline bounds the reply
        // (RuntimeApiEndpoints), not Kestrel's minimum of 240 bytes a second, which would cut a slow stream after 5 s.
        limits.MinRequestBodyDataRate = null;

        // Kestrel holds a request's whole head in its buffer, so the buffer may not be smaller.
        limits.MaxRequestBufferSize = MaxRequestHeadersTotalBytes;

        // A runtime's connection is idle while its function runs, for as long as the function's timeout: Lambda's runtime
        // API never closes it, where Kestrel's 130 s keep-alive would, so that a reply posted as it closes could be lost.
        limits.KeepAliveTimeout = KeepAliveTimeout;
    }
}
