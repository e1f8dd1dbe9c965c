using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using FcWorker.Serialization;

namespace FcWorker.Responses;

/// <summary>FC's function error body: <c>{"errorMessage","errorType","stackTrace"}</c>.</summary>
internal sealed partial record FcErrorBody(
    [property: JsonPropertyName("errorMessage")] string ErrorMessage,
    [property: JsonPropertyName("errorType")] string ErrorType,
    [property: JsonPropertyName("stackTrace"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<string>? StackTrace = null)
{
    public static FcErrorBody FromException(Exception exception) => new(
        exception.Message,
        exception.GetType().Name,
        exception.StackTrace?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(WithFileNameOnly).ToArray() ?? []);

    /// <summary>The body as compact UTF-8 JSON, the same for a pushed reply and a runtime API <c>error</c> post.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, WorkerJsonContext.Compact.FcErrorBody);

    /// <summary>
    /// Cuts a frame's source path (" in /home/build/src/Fn.cs:line 12") to its file name: the body goes
    /// to callers, and the build machine's directory layout is none of their business.
    /// </summary>
    internal static string WithFileNameOnly(string frame)
    {
        var match = SourcePath().Match(frame);
        return match.Success
            ? string.Concat(frame.AsSpan(0, match.Groups["path"].Index), Path.GetFileName(match.Groups["path"].Value.Replace('\\', '/')), frame.AsSpan(match.Groups["path"].Index + match.Groups["path"].Length))
            : frame;
    }

    [GeneratedRegex(@" in (?<path>.+?)(?=:line \d+$|$)")]
    private static partial Regex SourcePath();
}
