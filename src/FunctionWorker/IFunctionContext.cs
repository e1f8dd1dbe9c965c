using Microsoft.Extensions.Logging;

namespace FcWorker;

/// <summary>
/// The invocation context a handler may take as its first parameter: who is invoking which
/// function, how long it may run, and where to log. Built from the <c>x-fc-*</c> headers of the call:
/// those of the custom-runtime request (push), or those of the runtime API's <c>next</c> answer (pull,
/// <c>FC_RUNTIME_API</c>); a missing or malformed header yields the documented default, never an error.
/// </summary>
public interface IFunctionContext
{
    /// <summary>The invocation's request id (<c>x-fc-request-id</c>); generated in FC's shape when absent.</summary>
    string RequestId { get; }

    /// <summary>The function's name (<c>x-fc-function-name</c>); empty when absent.</summary>
    string FunctionName { get; }

    /// <summary>The function's memory size in MB (<c>x-fc-function-memory</c>); 512, FC's default, when absent.</summary>
    int MemoryLimitInMB { get; }

    /// <summary>How long the invocation may run (<c>x-fc-function-timeout</c>, in seconds); 60 seconds when absent.</summary>
    TimeSpan Timeout { get; }

    /// <summary>The configured handler name (<c>x-fc-function-handler</c>); empty when absent.</summary>
    string Handler { get; }

    /// <summary>The region the function runs in (<c>x-fc-region</c>); empty when absent.</summary>
    string Region { get; }

    /// <summary>The id of the account that owns the function (<c>x-fc-account-id</c>); empty when absent.</summary>
    string AccountId { get; }

    /// <summary>The invoked qualifier, e.g. <c>LATEST</c> (<c>x-fc-qualifier</c>); empty when absent.</summary>
    string Qualifier { get; }

    /// <summary>The invoked version id (<c>x-fc-version-id</c>); empty when absent.</summary>
    string VersionId { get; }

    /// <summary>
    /// How many times this invocation failed in the function before and is being run again (<c>x-fc-retry-count</c>,
    /// set on a retried asynchronous invocation); 0 for a first attempt, or when absent or malformed. With
    /// <see cref="RequestId"/>, which stays the same across attempts, it lets a function with side effects stay idempotent.
    /// </summary>
    int RetryCount { get; }

    /// <summary>The temporary credentials granted to the function; empty strings when none were sent.</summary>
    FunctionCredentials Credentials { get; }

    /// <summary>
    /// The instant the invocation runs out of time: the runtime API's <c>x-fc-function-deadline</c> (Unix milliseconds)
    /// when the call carries one, else its arrival plus <see cref="Timeout"/>.
    /// </summary>
    DateTimeOffset Deadline { get; }

    /// <summary>
    /// Fires when <see cref="Deadline"/> passes or the caller disconnects; pass it to every
    /// asynchronous call so the function stops work nobody waits for any more.
    /// </summary>
    CancellationToken CancellationToken { get; }

    /// <summary>A logger writing through the worker's logging pipeline, inside the invocation's log scope (<c>FcRequestId</c>).</summary>
    ILogger Logger { get; }
}
