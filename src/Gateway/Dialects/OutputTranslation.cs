namespace FcGateway.Dialects;

/// <summary>
/// The HTTP response a function's output maps to (wire contract §3), or why it maps to none. The body is
/// a slice of the output buffer, so the translation copies nothing it does not have to.
/// </summary>
internal readonly struct OutputTranslation
{
    private OutputTranslation(int statusCode, ReadOnlyMemory<byte> body, string? error, IReadOnlyList<string>? droppedHeaders)
    {
        StatusCode = statusCode;
        Body = body;
        Error = error;
        DroppedHeaders = droppedHeaders ?? [];
    }

    public int StatusCode { get; }

    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Why the output is a bad worker response (§5); null when the translation succeeded.</summary>
    public string? Error { get; }

    public bool IsValid => Error is null;

    /// <summary>The names of invalid headers the function returned, which were dropped; empty on the usual path.</summary>
    public IReadOnlyList<string> DroppedHeaders { get; }

    public static OutputTranslation Success(int statusCode, ReadOnlyMemory<byte> body, IReadOnlyList<string>? droppedHeaders = null) =>
        new(statusCode, body, null, droppedHeaders);

    public static OutputTranslation Invalid(string error, IReadOnlyList<string>? droppedHeaders = null) => new(0, default, error, droppedHeaders);
}
