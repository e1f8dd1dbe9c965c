using System.Globalization;
using WireMock;
using WireMock.Logging;
using WireMock.Matchers.Request;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A function worker that is a script: a WireMock.Net server on 127.0.0.1 at a free port, answering each request as
/// the mapping it matches says (by path, header, a scenario's state) and recording every request. A worker whose
/// behaviour is real HTTP — holding a request, streaming, aborting a connection — is a <see cref="TestWorker"/>.
/// </summary>
public sealed class ScriptedWorker : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start(new WireMockServerSettings
    {
        Urls = ["http://127.0.0.1:0"],
        Logger = new WireMockNullLogger(),
    });

    public string Url => _server.Url!;

    /// <summary>Every request received, in order of arrival, recorded as a <see cref="TestWorker"/> records them.</summary>
    public IReadOnlyList<ReceivedRequest> Received =>
        [.. _server.LogEntries.Select(entry => entry.RequestMessage).OrderBy(request => request.DateTime).Select(Record)];

    /// <summary>FC's custom runtime answering a successful invocation: HTTP 200, <c>x-fc-status: 200</c>, the output.</summary>
    public static IResponseBuilder Output(string output) => Reply(200, output);

    /// <summary>FC's custom runtime answering a failed invocation: HTTP 404, <c>x-fc-status: 404</c>, the error body.</summary>
    public static IResponseBuilder FunctionError(string errorBody) => Reply(404, errorBody);

    /// <summary>Starts a mapping: the requests it answers; its <c>RespondWith</c> says how.</summary>
    public IRespondWithAProvider Given(IRequestMatcher request) => _server.Given(request);

    public void Dispose() => _server.Stop();

    private static IResponseBuilder Reply(int status, string body) =>
        Response.Create().WithStatusCode(status).WithHeader("x-fc-status", status.ToString(CultureInfo.InvariantCulture)).WithBody(body);

    private static ReceivedRequest Record(IRequestMessage request) => new(
        request.Method,
        request.Path,
        request.Headers!.ToDictionary(h => h.Key, h => string.Join(',', h.Value), StringComparer.OrdinalIgnoreCase),
        request.BodyAsBytes ?? []);
}
