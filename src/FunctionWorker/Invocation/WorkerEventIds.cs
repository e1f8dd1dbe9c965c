namespace FcWorker.Invocation;

/// <summary>The worker's log event ids, in one place so they stay unique.</summary>
internal static class WorkerEventIds
{
    public const int PhaseStart = 1;
    public const int PhaseEnd = 2;
    public const int PhaseFailed = 3;
    public const int InvalidEvent = 4;
    public const int ConcurrencyLimitExceeded = 5;
    public const int RuntimeApiPulling = 6;
    public const int RuntimeApiOutageBegan = 7;
    public const int RuntimeApiOutageEnded = 8;
    public const int RuntimeApiRefusedReply = 9;
    public const int RuntimeApiUndeliveredReply = 10;
    public const int RuntimeApiGatewayGone = 11;
}
