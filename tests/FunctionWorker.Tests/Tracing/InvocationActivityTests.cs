using System.Collections.Concurrent;
using System.Diagnostics;
using FcWorker.Tests.TestHelpers;

namespace FcWorker.Tests.Tracing;

public sealed class InvocationActivityTests
{
    private const string TraceId = "0af7651916cd43dd8448eb211c80319c";
    private const string TraceParent = $"00-{TraceId}-b7ad6b7169203331-01";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Invoke_WithTraceparent_HandlerSeesCallersTraceId(bool withLogging)
    {
        await using var worker = await TestWorker.StartAsync(
            () => $"{Activity.Current?.TraceId}|{Activity.Current?.TraceStateString}", withLogging: withLogging);

        using var response = await worker.InvokeAsync("", ("traceparent", TraceParent), ("tracestate", "fc=1"));

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
    public async Task Invoke_MalformedTraceparent_StillSucceeds()
    {
        await using var worker = await TestWorker.StartAsync(() => "ok", withLogging: false);

        using var response = await worker.InvokeAsync("", ("traceparent", "not-a-trace"));

        Assert.Equal("ok", await FcReply.AssertSuccessAsync(response));
    }
}
