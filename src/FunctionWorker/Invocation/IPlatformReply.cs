using FcWorker.Responses;

namespace FcWorker.Invocation;

/// <summary>Where the outcome of a <see cref="PlatformCall"/> goes: the HTTP response of a pushed call, or the runtime API for a pulled one.</summary>
internal interface IPlatformReply
{
    /// <summary>Sends the output of a successful call.</summary>
    Task SucceedAsync(FunctionOutput output, CancellationToken cancellationToken);

    /// <summary>Sends FC's error body of a failed call.</summary>
    Task FailAsync(FcErrorBody error);
}
