
namespace FcGateway.Configuration;

/// <summary>
/// Size limits (wire contract §8). KB and MB are binary: 8 KB = 8,192 bytes, 32 MB = 33,554,432 bytes.
/// </summary>
public sealed record GatewayLimits
{
    /// <summary>Default request and response header limit: 8 KB.</summary>
    public const int DefaultHeaderBytes = 8 * 1024;

    /// <summary>Default path + query limit: 4 KB.</summary>
    public const int DefaultPathAndQueryBytes = 4 * 1024;

    /// <summary>Default request and response body limit: 32 MB.</summary>
    public const long DefaultBodyBytes = 32L * 1024 * 1024;

    /// <summary>Default payload limit of an asynchronous invocation: 128 KB.</summary>
    public const long DefaultAsyncBodyBytes = 128 * 1024;

    /// <summary>Request headers, counted as the sum of name and value lengths in bytes of UTF-8. Over it: 400 InvalidArgument.</summary>
    public int MaxRequestHeaderBytes { get; init; } = DefaultHeaderBytes;

    /// <summary>The request target (path and query) as received. Over it: 400 InvalidArgument.</summary>
    public int MaxPathAndQueryBytes { get; init; } = DefaultPathAndQueryBytes;

    /// <summary>The request body, checked against Content-Length up front and while reading. Over it: 400 EntityTooLarge.</summary>
    public long MaxRequestBodyBytes { get; init; } = DefaultBodyBytes;

    /// <summary>
    /// The payload of an asynchronous invocation (FC's limit: 128 KB), held in memory until it has run. Over it: 400
    /// EntityTooLarge.
    /// </summary>
    public long MaxAsyncRequestBodyBytes { get; init; } = DefaultAsyncBodyBytes;

    /// <summary>Headers of a function's response. Over it: a bad worker response, 502.</summary>
    public int MaxResponseHeaderBytes { get; init; } = DefaultHeaderBytes;

    /// <summary>A function's output. Over it: a bad worker response, 502.</summary>
    public long MaxResponseBodyBytes { get; init; } = DefaultBodyBytes;
}
