namespace FcGateway.Output;

/// <summary>
/// The HTTP response a function's output maps to (wire contract §3), or why it maps to none. The body is
/// a slice of the output buffer, so the translation copies nothing it does not have to.
/// </summary>
internal readonly struct OutputTranslation
{
    private OutputTranslation(int statusCode, ReadOnlyMemory<byte> body, string? error)
    {
        StatusCode = statusCode;
        Body = body;
        Error = error;
    }

    public int StatusCode { get; }

    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Why the output is a bad worker response (§5); null when the translation succeeded.</summary>
    public string? Error { get; }

    public bool IsValid => Error is null;

    public static OutputTranslation Success(int statusCode, ReadOnlyMemory<byte> body) => new(statusCode, body, null);

    public static OutputTranslation Invalid(string error) => new(0, default, error);
}
