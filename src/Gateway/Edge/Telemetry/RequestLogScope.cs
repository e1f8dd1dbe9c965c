using System.Collections;

namespace FcGateway.Edge.Telemetry;

/// <summary>
/// The log scope <c>FcRequestId:{FcRequestId}</c> of one request. It opens before the request middleware assigns the
/// FC request id to <see cref="HttpContext.TraceIdentifier"/>, so that it covers every line of the request, the fault
/// barrier's included: while the request runs the id is read when a line is written; when it ends the id is frozen,
/// because exporters (OTLP's batch) read scopes later, when the context may be serving another request.
/// </summary>
internal sealed class RequestLogScope(HttpContext? context) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string Key = "FcRequestId";

    private HttpContext? _context = context;
    private string? _requestId;

    /// <summary>The scope of an invocation that no request runs any more (an asynchronous one's attempts): its id alone.</summary>
    public RequestLogScope(string requestId)
        : this(context: null) => _requestId = requestId;

    public int Count => 1;

    public string RequestId
    {
        get
        {
            if (Volatile.Read(ref _requestId) is { } frozen)
            {
                return frozen;
            }

            try
            {
                return Volatile.Read(ref _context)?.TraceIdentifier ?? Volatile.Read(ref _requestId)!;
            }
            catch (ObjectDisposedException)
            {
                // Read by an exporter's thread just as the request ended.
                return Volatile.Read(ref _requestId) ?? "";
            }
        }
    }

    public KeyValuePair<string, object?> this[int index] =>
        index == 0 ? new(Key, RequestId) : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>The request ended: keeps its id and lets go of the context.</summary>
    public void Freeze()
    {
        if (Volatile.Read(ref _context) is { } current)
        {
            Volatile.Write(ref _requestId, current.TraceIdentifier);
            Volatile.Write(ref _context, null);
        }
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"{Key}:{RequestId}";
}
