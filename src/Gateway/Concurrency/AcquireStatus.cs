namespace FcGateway.Concurrency;

/// <summary>How waiting for a worker instance ended.</summary>
internal enum AcquireStatus
{
    Acquired,

    /// <summary>No instance is available (none configured, or none healthy): 503 ResourceThrottled.</summary>
    NoInstance,

    /// <summary>Every instance is busy and the wait queue is full: 429 ResourceExhausted.</summary>
    QueueFull,

    /// <summary>Every instance stayed busy for the whole queue timeout: 429 ResourceExhausted.</summary>
    QueueTimeout,

    /// <summary>The client went away while waiting.</summary>
    Cancelled,
}
