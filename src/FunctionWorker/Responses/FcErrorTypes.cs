namespace FcWorker.Responses;

/// <summary>The <c>errorType</c> values the worker itself reports (handler exceptions report their type name).</summary>
internal static class FcErrorTypes
{
    public const string InvalidEvent = "InvalidEventError";
    public const string ConcurrencyLimitExceeded = "ConcurrencyLimitExceeded";
    public const string NotFound = "NotFound";
}
