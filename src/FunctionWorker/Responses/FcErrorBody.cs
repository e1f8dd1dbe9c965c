using System.Text.Json.Serialization;

namespace FcWorker.Responses;

/// <summary>FC's function error body: <c>{"errorMessage","errorType","stackTrace"}</c>.</summary>
internal sealed record FcErrorBody(
    [property: JsonPropertyName("errorMessage")] string ErrorMessage,
    [property: JsonPropertyName("errorType")] string ErrorType,
    [property: JsonPropertyName("stackTrace"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<string>? StackTrace = null)
{
    public static FcErrorBody FromException(Exception exception) => new(
        exception.Message,
        exception.GetType().Name,
        exception.StackTrace?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? []);
}
