using FcGateway;
using FcGateway.Edge.Telemetry;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Diagnostics;

public sealed class RequestLogScopeTests
{
    private const int AccessLogEventId = 30;
    private const int FunctionFailedEventId = 20;

    [Fact]
    public async Task EveryLineOfAnInvocation_CarriesTheRequestIdAndTraceId()
    {
        var (requestId, lines) = await LinesOfAFailedInvocationAsync();

        Assert.All(lines, line =>
        {
            Assert.Equal(requestId, line.Scopes[RequestLogScope.Key]);
            Assert.Matches("^[0-9a-f]{32}$", Assert.IsType<string>(line.Scopes["TraceId"]));
        });
    }

    [Fact]
    public async Task EveryLineOfAnInvocation_NamesNoOtherRequestIdThanItsOwn()
    {
        // The message's {RequestId} and the scopes end up side by side in one OTLP record: a second RequestId there, such as
        // the connection-based id ASP.NET Core takes before the gateway assigns its own, would leave a backend to pick one.
        var (requestId, lines) = await LinesOfAFailedInvocationAsync();

        Assert.All(lines, line => Assert.All(line.Fields.Where(field => field.Key == "RequestId"), field => Assert.Equal(requestId, field.Value)));
    }

    [Fact]
    public async Task NoScope_CarriesTheClientsPath_SoAnEncodedLineBreakCannotForgeALine()
    {
        var logs = new ScopedLogs();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", worker.Url).Values, builder => builder.Logging.AddProvider(logs));

        using var response = await gateway.Client.GetAsync("/echo/a%0d%0aForged:%20yes");

        var requestId = InvocationSpanTests.RequestIdOf(response);
        await Eventually.HoldsAsync(() => logs.Entries.Any(e => e.EventId.Id == AccessLogEventId && e.Message.Contains(requestId, StringComparison.Ordinal)));
        Assert.All(logs.Entries, entry =>
        {
            Assert.DoesNotContain('\n', entry.Message);
            Assert.All(entry.Scopes.Values, value => Assert.DoesNotContain('\n', value?.ToString() ?? ""));
        });
    }

    [Fact]
    public async Task UnroutedRequest_AccessLogCarriesTheRequestId()
    {
        var logs = new ScopedLogs();
        await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", "http://127.0.0.1:9").Values, builder => builder.Logging.AddProvider(logs));

        using var response = await gateway.Client.GetAsync("/nowhere");

        var requestId = InvocationSpanTests.RequestIdOf(response);
        await Eventually.HoldsAsync(() => logs.Entries.Any(e => e.EventId.Id == AccessLogEventId && e.Message.Contains(requestId, StringComparison.Ordinal)));
        var access = logs.Entries.Single(e => e.EventId.Id == AccessLogEventId && e.Message.Contains(requestId, StringComparison.Ordinal));
        Assert.Equal(requestId, access.Scopes[RequestLogScope.Key]);
        Assert.Contains("status=404 outcome=not_found", access.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccessLog_HasMethodHostPathFunctionDestinationStatusOutcomeAndBytes()
    {
        var logs = new ScopedLogs();
        await using var worker = await TestWorker.ReturningAsync("hello");
        var config = new GatewayConfiguration().WithFunction("echo", worker.Url);
        await using var gateway = await TestGateway.StartAsync(config.Values, builder => builder.Logging.AddProvider(logs));

        using var response = await gateway.Client.PostAsync("/echo/a?b=c", new StringContent("1234567"));

        var requestId = InvocationSpanTests.RequestIdOf(response);
        await Eventually.HoldsAsync(() => logs.Entries.Any(e => e.EventId.Id == AccessLogEventId && e.Message.Contains(requestId, StringComparison.Ordinal)));
        var access = logs.Entries.Single(e => e.EventId.Id == AccessLogEventId && e.Message.Contains(requestId, StringComparison.Ordinal));
        var host = new Uri(gateway.Url).Authority;
        Assert.Matches(
            $"^POST {host}/echo/a function=echo destination=d0 status=200 outcome=success durationMs=[0-9.]+ bytesIn=7 bytesOut=5 requestId={requestId}$",
            access.Message);
    }

    [Fact]
    public async Task AccessLog_OfAnOverlongPath_IsBounded()
    {
        // Kestrel lets a request line four times the gateway's limit through, so the gateway can answer with its own
        // error; escaped, the path would be twice that again: a line long enough for a container runtime to split (16 KB),
        // its continuation a record that starts with the client's text.
        var logs = new ScopedLogs();
        await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", "http://127.0.0.1:9").Values, builder => builder.Logging.AddProvider(logs));
        var path = "/echo/" + string.Concat(Enumerable.Repeat("%0d", 4000));

        using var response = await gateway.Client.GetAsync(path);

        var requestId = InvocationSpanTests.RequestIdOf(response);
        await Eventually.HoldsAsync(() => logs.Entries.Any(e => e.EventId.Id == AccessLogEventId && e.Message.Contains(requestId, StringComparison.Ordinal)));
        var access = logs.Entries.Single(e => e.EventId.Id == AccessLogEventId && e.Message.Contains(requestId, StringComparison.Ordinal));
        Assert.Contains("… (4006 characters in all) function=", access.Message, StringComparison.Ordinal);
        Assert.InRange(access.Message.Length, 0, LogText.MaxFieldLength + 512);
    }

    [Fact]
    public void Scope_ReadsTheRequestIdWhenLogged_NotWhenOpened()
    {
        var context = new DefaultHttpContext { TraceIdentifier = "kestrel-id" };
        var scope = new RequestLogScope(context);

        context.TraceIdentifier = "1-00000000-000000000000000000000000";

        Assert.Equal(new KeyValuePair<string, object?>("FcRequestId", "1-00000000-000000000000000000000000"), Assert.Single(scope));
        Assert.Equal("FcRequestId:1-00000000-000000000000000000000000", scope.ToString());
    }

    [Fact]
    public void Scope_AfterTheRequest_KeepsItsIdWhenTheContextServesAnother()
    {
        var context = new DefaultHttpContext { TraceIdentifier = "1-00000000-000000000000000000000001" };
        var scope = new RequestLogScope(context);

        scope.Freeze();
        context.TraceIdentifier = "1-00000000-000000000000000000000002";

        Assert.Equal("1-00000000-000000000000000000000001", scope.RequestId);
    }

    /// <summary>The request id of an invocation whose function failed, and every line naming it (its failure line among them).</summary>
    private static async Task<(string RequestId, List<ScopedLogEntry> Lines)> LinesOfAFailedInvocationAsync()
    {
        var logs = new ScopedLogs();
        await using var worker = await TestWorker.StartAsync((context, _) => TestWorker.Reply(context, 404, "{\"errorMessage\":\"boom\"}", "404"));
        var config = new GatewayConfiguration().WithFunction("echo", worker.Url);
        await using var gateway = await TestGateway.StartAsync(config.Values, builder => builder.Logging.AddProvider(logs));

        using var response = await gateway.Client.GetAsync("/echo/");

        var requestId = InvocationSpanTests.RequestIdOf(response);
        await Eventually.HoldsAsync(() => logs.Entries.Any(e => e.EventId.Id == AccessLogEventId && e.Message.Contains(requestId, StringComparison.Ordinal)));
        var lines = logs.Entries.Where(e => e.Message.Contains(requestId, StringComparison.Ordinal)).ToList();
        Assert.Contains(lines, e => e.EventId.Id == FunctionFailedEventId);
        return (requestId, lines);
    }
}
