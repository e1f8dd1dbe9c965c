using System.Diagnostics;
using Gateway.Tests.Diagnostics;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using static Gateway.Tests.EndToEnd.AsyncInvokeApi;

namespace Gateway.Tests.EndToEnd;

/// <summary>An asynchronous invocation's attempts run in a trace of their own, linked to the request that accepted it.</summary>
public sealed class AsyncInvocationTracingTests
{
    private const int SucceededEventId = 90;

    [Fact]
    public async Task Async_RunsInATraceOfItsOwn_LinkedToTheRequestThatAcceptedIt()
    {
        using var spans = new RecordedSpans();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var requestId = await AcceptedAsync(gateway);
        var accepted = await spans.FindAsync(span => IsInvocationSpan(span, requestId, "http"));
        var attempt = await spans.FindAsync(span => IsInvocationSpan(span, requestId, "other"));

        Assert.Equal(202, accepted.GetTagItem("http.response.status_code"));
        Assert.NotEqual(accepted.TraceId, attempt.TraceId);
        Assert.Equal(default, attempt.ParentSpanId);
        Assert.Equal(accepted.Context, Assert.Single(attempt.Links).Context);
        Assert.Equal("success", attempt.GetTagItem("fcgateway.outcome"));
        Assert.Equal("d0", attempt.GetTagItem("fcgateway.destination"));
        Assert.Equal("127.0.0.1", attempt.GetTagItem("server.address"));
        Assert.Equal(attempt.TraceId.ToHexString(), Assert.Single(worker.Received).Header("traceparent")?.Split('-')[1]);
    }

    [Fact]
    public async Task Async_HowAnAttemptEnded_IsLoggedInsideItsSpan()
    {
        using var spans = new RecordedSpans();
        var logs = new ScopedLogs();
        await using var worker = await TestWorker.ReturningAsync("ok");
        var config = new GatewayConfiguration().WithFunction("echo", worker.Url);
        await using var gateway = await TestGateway.StartAsync(config.Values, builder => builder.Logging.AddProvider(logs));

        var requestId = await AcceptedAsync(gateway);
        var attempt = await spans.FindAsync(span => IsInvocationSpan(span, requestId, "other"));
        await Eventually.HoldsAsync(() => logs.Entries.Any(entry => entry.EventId.Id == SucceededEventId && entry.Message.Contains(requestId, StringComparison.Ordinal)));

        var succeeded = logs.Entries.Single(entry => entry.EventId.Id == SucceededEventId && entry.Message.Contains(requestId, StringComparison.Ordinal));
        Assert.Equal(attempt.TraceId.ToHexString(), succeeded.Scopes["TraceId"]);
        Assert.Equal(attempt.SpanId.ToHexString(), succeeded.Scopes["SpanId"]);
    }

    private static bool IsInvocationSpan(Activity span, string requestId, string trigger) =>
        span.Source.Name == "FcGateway" && (string?)span.GetTagItem("faas.invocation_id") == requestId && (string?)span.GetTagItem("faas.trigger") == trigger;
}
