
namespace FcGateway.Edge.InvokeApi;

/// <summary>The invocation API's request headers: <c>x-fc-invocation-type</c> (Sync, Async) and <c>x-fc-log-type</c> (None, Tail).</summary>
internal static class InvokeApiHeaders
{
    public const string InvocationType = "x-fc-invocation-type";
    public const string LogType = "x-fc-log-type";

    /// <summary>The response header carrying the invocation's log, base64-encoded, when <c>x-fc-log-type: Tail</c> asked for it.</summary>
    public const string LogResult = "X-Fc-Log-Result";

    private const string AsyncValue = "Async";
    private const string TailValue = "Tail";

    /// <summary>Whether the caller asked for an asynchronous invocation: 202 now, the function run later.</summary>
    public static bool IsAsync(HttpRequest request) =>
        request.Headers[InvocationType].ToString().Equals(AsyncValue, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the caller asked for the invocation's log (<c>x-fc-log-type: Tail</c>).</summary>
    public static bool WantsLogTail(HttpRequest request) =>
        request.Headers[LogType].ToString().Equals(TailValue, StringComparison.OrdinalIgnoreCase);

    /// <returns>Why the headers are refused, or null.</returns>
    public static string? Validate(HttpRequest request)
    {
        var invocationType = request.Headers[InvocationType].ToString();
        if (invocationType.Length > 0 && !invocationType.Equals("Sync", StringComparison.OrdinalIgnoreCase)
            && !invocationType.Equals(AsyncValue, StringComparison.OrdinalIgnoreCase))
        {
            return $"x-fc-invocation-type must be Sync or Async, not '{invocationType}'.";
        }

        var logType = request.Headers[LogType].ToString();
        return logType.Length == 0 || logType.Equals("None", StringComparison.OrdinalIgnoreCase) || logType.Equals(TailValue, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"x-fc-log-type must be None or Tail, not '{logType}'.";
    }
}
