using System.Collections.Concurrent;
using System.Diagnostics;
using FcWorker.Tests.TestHelpers;

namespace FcWorker.Tests.Tracing;

public sealed class InvocationActivityTests
{
    private const string TraceId = "0af7651916cd43dd8448eb211c80319c";
    private const string TraceParent = $"00-{TraceId}-b7ad6b7169203331-01";

    /// <summary>Flags <c>03</c>: sampled and W3C Trace Context Level 2's random trace id, which the gateway's OpenTelemetry sets on the traces it starts.</summary>
    [Theory]
    [InlineData(true, "01")]
    [InlineData(false, "01")]
    [InlineData(true, "03")]
    public async Task Invoke_WithTraceparent_HandlerSeesCallersTraceId(bool withLogging, string flags)
    {
        await using var worker = await TestWorker.StartAsync(
            () => $"{Activity.Current?.TraceId}|{Activity.Current?.TraceStateString}", withLogging: withLogging);

        using var response = await worker.InvokeAsync("", ("traceparent", $"00-{TraceId}-b7ad6b7169203331-{flags}"), ("tracestate", "fc=1"));

        Assert.Equal($"{TraceId}|fc=1", await FcReply.AssertSuccessAsync(response));
    }

    [Fact]
    public async Task Invoke_WithListener_RecordsInvokeSpanInCallersTrace()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == FunctionWorker.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var worker = await TestWorker.StartAsync(() => Activity.Current?.OperationName);

        using var response = await worker.InvokeAsync("", ("traceparent", TraceParent), ("x-fc-request-id", "req-span"), ("x-fc-function-name", "echo"));

        Assert.Equal("invoke echo", await FcReply.AssertSuccessAsync(response));
        var span = Assert.Single(spans, s => (string?)s.GetTagItem("faas.invocation_id") == "req-span");
        Assert.Equal(TraceId, span.TraceId.ToString());
        Assert.Equal("echo", span.GetTagItem("faas.name"));
    }

    [Fact]
    public async Task Invoke_WithListener_SpanIsTheServerSpanOfTheCallersSpan_WithFaasAttributes()
    {
        using var spans = new RecordedSpans();
        await using var worker = await TestWorker.StartAsync(() => "ok");

        using var response = await worker.InvokeAsync(
            "", ("traceparent", TraceParent), ("x-fc-request-id", "req-attrs"), ("x-fc-function-name", "echo"),
            ("x-fc-region", "cn-test"), ("x-fc-account-id", "1234"), ("x-fc-qualifier", "LATEST"));

        await FcReply.AssertSuccessAsync(response);
        var span = spans.Single("req-attrs");
        Assert.Equal(ActivityKind.Server, span.Kind);
        Assert.Equal("b7ad6b7169203331", span.ParentSpanId.ToString());
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal("alibaba_cloud", span.GetTagItem("cloud.provider"));
        Assert.Equal("alibaba_cloud_fc", span.GetTagItem("cloud.platform"));
        Assert.Equal("cn-test", span.GetTagItem("cloud.region"));
        Assert.Equal("1234", span.GetTagItem("cloud.account.id"));
        Assert.Equal("LATEST", span.GetTagItem("faas.version"));
        Assert.IsType<bool>(span.GetTagItem("faas.coldstart"));
    }

    [Fact]
    public async Task Invoke_HandlerThrows_SpanIsAnErrorWithTheExceptionType()
    {
        using var spans = new RecordedSpans();
        await using var worker = await TestWorker.StartAsync(new Func<string>(() => throw new InvalidOperationException("boom")));

        using var response = await worker.InvokeAsync("", ("traceparent", TraceParent), ("x-fc-request-id", "req-fail"));

        Assert.Equal(404, (int)response.StatusCode);
        var span = spans.Single("req-fail");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("boom", span.StatusDescription);
        Assert.Equal(typeof(InvalidOperationException).FullName, span.GetTagItem("error.type"));
        Assert.Contains(span.Events, e => e.Name == "exception");
    }

    [Fact]
    public async Task Initialize_WithListener_SpanIsMarkedAsAPlatformCall()
    {
        using var spans = new RecordedSpans();
        var options = new FunctionWorkerOptions { Initializer = _ => Task.CompletedTask };
        await using var worker = await TestWorker.StartAsync(() => "ok", options);

        using var response = await worker.SendAsync(
            HttpMethod.Post, "/initialize", new StringContent(""), [("traceparent", TraceParent), ("x-fc-request-id", "req-init"), ("x-fc-function-name", "echo")]);

        Assert.True(response.IsSuccessStatusCode);
        var span = spans.Single("req-init");
        Assert.Equal("initialize echo", span.OperationName);
        Assert.Equal("other", span.GetTagItem("faas.trigger"));
        Assert.Equal(TraceId, span.TraceId.ToString());
    }

    [Fact]
    public async Task Invoke_MalformedTraceparent_StillSucceeds()
    {
        await using var worker = await TestWorker.StartAsync(() => "ok", withLogging: false);

        using var response = await worker.InvokeAsync("", ("traceparent", "not-a-trace"));

        Assert.Equal("ok", await FcReply.AssertSuccessAsync(response));
    }

    /// <summary>Records the worker's finished spans; filter by request id, since other tests' workers run alongside.</summary>
    private sealed class RecordedSpans : IDisposable
    {
        private readonly ConcurrentQueue<Activity> _spans = new();
        private readonly ActivityListener _listener;

        public RecordedSpans()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == FunctionWorker.ActivitySourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _spans.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public Activity Single(string requestId) =>
            Assert.Single(_spans, s => (string?)s.GetTagItem("faas.invocation_id") == requestId);

        public void Dispose() => _listener.Dispose();
    }
}
