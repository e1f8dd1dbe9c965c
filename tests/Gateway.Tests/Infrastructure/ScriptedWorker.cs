using System.Globalization;
using FcGateway.Configuration;
using Microsoft.AspNetCore.Http;
using WireMock;
using WireMock.Logging;
using WireMock.Matchers.Request;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A function worker that is a script: a WireMock.Net server on 127.0.0.1 at a free port, answering each request as
/// the mapping it matches says (by path, header, a scenario's state) and recording every request. A worker whose
/// behaviour is real HTTP — holding a request, streaming, aborting a connection — is a <see cref="TestWorker"/>.
/// Like the SDK's workers it answers the gateway's health probes (<c>GET /healthz</c>) with 200 ahead of the script,
/// so a probe never plays a mapping or moves a scenario, and leaves them out of <see cref="Received"/>.
/// </summary>
public sealed class ScriptedWorker : IDisposable
{
    /// <summary>WireMock.Net's highest priority for a mapping of one's own (a lower number is tried first).</summary>
    private const int AheadOfTheScript = -1_000_000;

    private readonly WireMockServer _server = WireMockServer.Start(new WireMockServerSettings
    {
        Urls = ["http://127.0.0.1:0"],
        Logger = new WireMockNullLogger(),
    });

    public ScriptedWorker()
    {
        _server.Given(Request.Create().WithPath(FunctionClusterHealthDefaults.ProbePath).UsingGet())
            .AtPriority(AheadOfTheScript)
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("ok"));
    }

    public string Url => _server.Url!;

    /// <summary>Every request received but the health probes, in order of arrival, recorded as a <see cref="TestWorker"/> records them.</summary>
    public IReadOnlyList<ReceivedRequest> Received =>
    [
        .. _server.LogEntries.Select(entry => entry.RequestMessage).Where(request => !IsHealthProbe(request)).OrderBy(request => request.DateTime).Select(Record),
    ];

    /// <summary>FC's custom runtime answering a successful invocation: HTTP 200, <c>x-fc-status: 200</c>, the output.</summary>
    public static IResponseBuilder Output(string output) => Reply(200, output);

    /// <summary>FC's custom runtime answering a failed invocation: HTTP 404, <c>x-fc-status: 404</c>, the error body.</summary>
    public static IResponseBuilder FunctionError(string errorBody) => Reply(404, errorBody);

    /// <summary>Starts a mapping: the requests it answers; its <c>RespondWith</c> says how.</summary>
    public IRespondWithAProvider Given(IRequestMatcher request) => _server.Given(request);

    public void Dispose() => _server.Stop();

    private static IResponseBuilder Reply(int status, string body) =>
        Response.Create().WithStatusCode(status).WithHeader("x-fc-status", status.ToString(CultureInfo.InvariantCulture)).WithBody(body);

    private static bool IsHealthProbe(IRequestMessage request) =>
        request.Method == HttpMethods.Get && request.Path == FunctionClusterHealthDefaults.ProbePath;

    private static ReceivedRequest Record(IRequestMessage request) => new(
        request.Method,
        request.Path,
        request.Headers!.ToDictionary(h => h.Key, h => string.Join(',', h.Value), StringComparer.OrdinalIgnoreCase),
        request.BodyAsBytes ?? []);
}
