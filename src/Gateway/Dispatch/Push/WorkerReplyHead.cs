namespace FcGateway.Dispatch.Push;

/// <summary>
/// What the gateway judges a worker's reply by (wire contract §2), whichever client read it: the status, the
/// <c>x-fc-status</c> lines, and the Content-Type of an error body.
/// </summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="FcStatus">The <c>x-fc-status</c> lines' values joined by commas, or null when there are none.</param>
/// <param name="FcStatusIsSuccess">Whether every <c>x-fc-status</c> line says <c>200</c> (true when there are none).</param>
/// <param name="ContentType">The Content-Type of a reply that is not a success, else null (nothing reads it then).</param>
internal readonly record struct WorkerReplyHead(int StatusCode, string? FcStatus, bool FcStatusIsSuccess, string? ContentType)
{
    /// <summary>A 2xx status with no <c>x-fc-status</c>, or with <c>x-fc-status: 200</c> on every line it is sent on.</summary>
    public bool IsSuccess => StatusCode is >= 200 and <= 299 && FcStatusIsSuccess;

    public string Describe() => FcStatus is null ? $"HTTP {StatusCode}" : $"HTTP {StatusCode}, x-fc-status {FcStatus}";
}
