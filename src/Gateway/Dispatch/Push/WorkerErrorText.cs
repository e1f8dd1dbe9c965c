using System.Text;

namespace FcGateway.Dispatch.Push;

/// <summary>A worker's error body as log text, bounded so a huge body cannot flood the log.</summary>
internal static class WorkerErrorText
{
    private const int MaxBytes = 4096;

    public static string From(ReadOnlySpan<byte> body) =>
        body.Length <= MaxBytes
            ? Encoding.UTF8.GetString(body)
            : Encoding.UTF8.GetString(body[..MaxBytes]) + $"… ({body.Length} bytes in all)";
}
