using System.Collections.Concurrent;
using System.Text.Json;
using FcGateway.Configuration;
using FcGateway.Http;

namespace FcGateway.RuntimeApi;

/// <summary>What a refused request is told: a JSON error body, in the wire's words for a reply, after a pause for a poll.</summary>
internal sealed partial class RuntimeApiEndpoints
{
    /// <summary>
    /// How long a poll that cannot be served waits before its 404: the runtime clients poll again at once after a failed
    /// <c>next</c>, so an immediate answer would make a misconfigured worker spin.
    /// </summary>
    public static readonly TimeSpan RefusedPollDelay = TimeSpan.FromSeconds(1);

    /// <summary>The configured functions polled in the other protocol, logged once each: bounded by the configuration.</summary>
    private readonly ConcurrentDictionary<(string Function, RuntimeApiProtocol Polled), bool> _protocolMismatchesLogged = new();

    /// <summary>A reply whose invocation timed out, refused as the protocol refuses it (<see cref="RuntimeApiWire.LateReply"/>).</summary>
    private Task RefuseLateAsync(HttpContext context, (int Status, string Message, string ErrorType) late, string function, string id)
    {
        Log.ReplyRefused(logger, LogText.EscapeField(function), LogText.EscapeField(id), "its invocation timed out");
        return RefuseAsync(context, late.Status, late.Message, late.ErrorType);
    }

    /// <summary>
    /// Why a poll gets no invocation. A worker of a configured function that polls in the other protocol (a Lambda runtime
    /// client given the address of an FC function, or the reverse) is told which one to speak, and the gateway's log
    /// says so once per function and protocol: the worker polls again after every pause, and would repeat the line. One
    /// polling the shared address of a function whose instances the gateway launches is told that no invocation comes there.
    /// </summary>
    private string RefusedPollMessage(RuntimeApiWire wire, string function, string? instance)
    {
        var configured = instance is null ? settings.Current.Functions.GetValueOrDefault(function) : null;
        if (configured?.RuntimeApi is { } declared && declared != wire.Protocol)
        {
            if (_protocolMismatchesLogged.TryAdd((function, wire.Protocol), true))
            {
                Log.PollInTheOtherProtocol(logger, LogText.EscapeField(function), ProtocolName(declared), ProtocolName(wire.Protocol));
            }

            return $"Function {function} is configured for the {ProtocolName(declared)} runtime API, and this worker polls with the {ProtocolName(wire.Protocol)} one ({wire.VersionPath}): set the function's RuntimeApi to {wire.Protocol.ToString().ToLowerInvariant()}, or run a worker built for {ProtocolName(declared)}.";
        }

        if (configured is { Launch: not null })
        {
            return $"Function {function}'s instances are started by the gateway (Command), each polling at an address of its own, given in its environment: a worker started elsewhere gets none of its invocations.";
        }

        return NoAddressMessage(wire, function, instance);
    }

    private static string ProtocolName(RuntimeApiProtocol protocol) => protocol == RuntimeApiProtocol.Lambda ? "AWS Lambda" : "FC";

    private static string NoAddressMessage(RuntimeApiWire wire, string function, string? instance) => instance is null
        ? $"Function {function} does not pull its invocations from this runtime API ({wire.VersionPath})."
        : $"Function {function} has no running instance {instance}.";

    /// <summary>A 404 after <see cref="RefusedPollDelay"/>, unless the worker goes away first.</summary>
    private async Task RefuseAfterPauseAsync(HttpContext context, string message)
    {
        try
        {
            await Task.Delay(RefusedPollDelay, timeProvider, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await RefuseAsync(context, StatusCodes.Status404NotFound, message);
    }

    private static Task RefuseReplyAsync(HttpContext context, RuntimeApiWire wire, ReplyRefusal refusal, string message) =>
        RefuseAsync(context, wire.RefusalStatus(refusal), message, wire.RefusalErrorType(refusal));

    private static async Task RefuseAsync(HttpContext context, int status, string message, string? errorType = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, GatewayJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("errorMessage", message);
        if (errorType is not null)
        {
            writer.WriteString("errorType", errorType);
        }

        writer.WriteEndObject();
    }
}
