using System.Diagnostics;
using System.Globalization;
using System.Text;
using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Dispatch.Push;
using FcGateway.Edge.Errors;
using FcGateway.Http;
using FcGateway.Outcomes;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace FcGateway.Edge.Requests;

/// <summary>
/// Requests Kestrel refuses while it parses their head (a malformed request line or header, a head over its limits, a
/// head that does not arrive in time), before any middleware runs: instead of Kestrel's bare answer they get the
/// gateway's InvalidArgument (400; 408 for a head that came too slowly) with <c>X-Fc-Request-Id</c> (wire contract §3, §4). Kestrel reports each such
/// refusal through its documented <c>Microsoft.AspNetCore.Server.Kestrel.BadRequest</c> diagnostic event just
/// before it writes its answer and closes the connection; every connection's plaintext output passes through a
/// <see cref="ReplaceableOutput"/> (<see cref="OutputReplacingConnection"/>, TLS included), whose bytes the gateway's
/// answer then replaces.
/// </summary>
internal sealed partial class KestrelRejections : IObserver<KeyValuePair<string, object?>>, IDisposable
{
    public const string BadRequestEvent = "Microsoft.AspNetCore.Server.Kestrel.BadRequest";

    private readonly RequestIdGenerator _requestIds;
    private readonly GatewaySettingsMonitor _settings;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<KestrelRejections> _logger;
    private readonly IDisposable _subscription;

    public KestrelRejections(
        DiagnosticListener aspNetCore, RequestIdGenerator requestIds, GatewaySettingsMonitor settings, TimeProvider timeProvider, ILogger<KestrelRejections> logger)
    {
        _requestIds = requestIds;
        _settings = settings;
        _timeProvider = timeProvider;
        _logger = logger;
        _subscription = aspNetCore.Subscribe(this, static name => name == BadRequestEvent);
    }

    /// <summary>
    /// The connection middleware that lets a refused head's answer be replaced: the connection's features (which a
    /// request's features fall back to) hold the connection the later middlewares see.
    /// </summary>
    public static ConnectionDelegate Wrap(ConnectionDelegate next) => connection =>
    {
        var replacing = new OutputReplacingConnection(connection);
        connection.Features.Set(replacing);
        return next(replacing);
    };

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key != BadRequestEvent || value.Value is not IFeatureCollection request
            || request.Get<GatewayRequestFeature>() is not null
            || request.Get<IHttpResponseFeature>() is not { HasStarted: false }
            || request.Get<IHttpRequestFeature>()?.Protocol is { } protocol && (HttpProtocol.IsHttp2(protocol) || HttpProtocol.IsHttp3(protocol))
            || request.Get<OutputReplacingConnection>() is not { } connection)
        {
            // The gateway's middleware saw the request (it answers itself), the answer has started, or the request is a
            // stream of a multiplexed connection: Kestrel's answer stands.
            return;
        }

        var kestrelStatus = request.Get<IBadRequestExceptionFeature>()?.Error is BadHttpRequestException refusal ? refusal.StatusCode : StatusCodes.Status400BadRequest;
        var outcome = OutcomeTable.Of(kestrelStatus == StatusCodes.Status408RequestTimeout ? Outcome.RequestTooSlow : Outcome.InvalidArgument);
        var requestId = _requestIds.Next();
        var message = MessageFor(kestrelStatus);
        Log.HeadRefused(_logger, requestId, kestrelStatus, outcome.StatusCode, message);
        var headRequest = HttpMethods.IsHead(request.Get<IHttpRequestFeature>()?.Method ?? string.Empty);
        connection.Output.Replace(Response(outcome, requestId, message, withBody: !headRequest));
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose() => _subscription.Dispose();

    private static string MessageFor(int kestrelStatus) => kestrelStatus switch
    {
        StatusCodes.Status408RequestTimeout => "The request head did not arrive in time.",
        StatusCodes.Status414UriTooLong => "The request line is too long.",
        StatusCodes.Status431RequestHeaderFieldsTooLarge => "The request headers are too large.",
        _ => "The request is not valid HTTP (its request line, a header, or how its body is framed).",
    };

    /// <summary>
    /// The whole HTTP/1.1 answer: the status, the FC error body, the request id; the connection closes after it. The
    /// answer to a HEAD request declares the body's length but leaves the body out (RFC 9110 §9.3.2), as
    /// <c>GatewayErrorWriter</c> does.
    /// </summary>
    private byte[] Response(OutcomeDescriptor outcome, string requestId, string message, bool withBody)
    {
        var status = outcome.StatusCode;
        using var body = new PooledBuffer(128);
        GatewayErrorWriter.WriteErrorBody(body, outcome.ErrorCode, message);

        var head = new StringBuilder(256)
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {ReasonPhrases.GetReasonPhrase(status)}\r\n")
            .Append("Content-Type: application/json\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {body.WrittenCount}\r\n")
            .Append("Connection: close\r\n")
            .Append(CultureInfo.InvariantCulture, $"Date: {_timeProvider.GetUtcNow():r}\r\n")
            .Append(CultureInfo.InvariantCulture, $"{WorkerHeaderNames.ResponseRequestId}: {requestId}\r\n");
        if (_settings.Current.ContentDispositionAttachment)
        {
            head.Append("Content-Disposition: attachment\r\n");
        }

        var headText = head.Append("\r\n").ToString();
        var headBytes = Encoding.ASCII.GetByteCount(headText);
        var response = new byte[headBytes + (withBody ? body.WrittenCount : 0)];
        Encoding.ASCII.GetBytes(headText, response);
        if (withBody)
        {
            body.WrittenSpan.CopyTo(response.AsSpan(headBytes));
        }

        return response;
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.RequestHeadRefused, LogLevel.Debug, "Request {RequestId}: the HTTP server refused the request head (its status {KestrelStatus}); answered {StatusCode} InvalidArgument: {Reason}")]
        public static partial void HeadRefused(ILogger logger, string requestId, int kestrelStatus, int statusCode, string reason);
    }
}
