namespace FcGateway;

/// <summary>
/// The line of a refusal of the client's own request (event 10): written where the refusal is answered, before any
/// invocation (<c>GatewayErrorWriter</c>) or during one (<c>InvocationTelemetry</c>), in the caller's category. Its
/// reason is escaped by the caller: it may quote the client's request.
/// </summary>
internal static partial class RequestRefusalLog
{
    [LoggerMessage(EventId = EventIds.RequestRejected, Message = "Request {RequestId} refused, {Outcome}: {Reason}")]
    public static partial void Refused(ILogger logger, LogLevel level, string requestId, string outcome, string reason);
}
