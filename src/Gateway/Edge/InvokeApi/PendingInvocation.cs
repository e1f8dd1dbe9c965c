using System.Diagnostics;
using FcGateway.Buffers;

namespace FcGateway.Edge.InvokeApi;

/// <summary>An asynchronous invocation between its 202 and its last attempt: what it runs, and how its attempts went.</summary>
internal sealed class PendingInvocation(string requestId, string functionName, PooledBuffer payload, long acceptedTimestamp, ActivityContext acceptedBy)
{
    public string RequestId { get; } = requestId;

    public string FunctionName { get; } = functionName;

    /// <summary>The body the invocation API received; every attempt sends it, and it is released after the last.</summary>
    public PooledBuffer Payload { get; } = payload;

    public long AcceptedTimestamp { get; } = acceptedTimestamp;

    /// <summary>The span of the request that was answered 202, which each attempt's span links to.</summary>
    public ActivityContext AcceptedBy { get; } = acceptedBy;

    /// <summary>The version or alias the caller named (<see cref="Dispatch.FunctionTarget.InvokedQualifier"/>).</summary>
    public string? InvokedQualifier { get; init; }

    public int Attempts { get; set; }

    /// <summary>Attempts that failed in the function: its <c>x-fc-retry-count</c>.</summary>
    public int FunctionFailures { get; set; }

    /// <summary>Attempts that found no instance with room.</summary>
    public int Throttles { get; set; }
}
