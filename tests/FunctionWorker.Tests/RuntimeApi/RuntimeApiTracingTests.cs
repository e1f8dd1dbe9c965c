using System.Collections.Concurrent;
using System.Diagnostics;
using FcWorker.Tests.TestHelpers;

namespace FcWorker.Tests.RuntimeApi;

/// <summary>The runtime API's calls are the platform's plumbing: HttpClient traces none of them, while the handler's trace goes on.</summary>
public sealed class RuntimeApiTracingTests
{
    private const string TraceId = "0af7651916cd43dd8448eb211c80319c";

    [Fact]
    public async Task TheReply_CarriesNoTraceparent_AndStartsNoHttpClientSpan_EvenWithAListener()
    {
        var clientSpans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = clientSpans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var api = await FakeRuntimeApi.StartAsync();
        api.Enqueue("req-traced", "", ("traceparent", $"00-{TraceId}-b7ad6b7169203331-01"));

        await using var worker = await PullingWorker.StartAsync(api, () => Activity.Current?.TraceId.ToString());
        var outcome = await api.NextOutcomeAsync();

        Assert.Equal(TraceId, outcome.Text);
        Assert.Null(outcome.TraceParent);
        // The listener is process-wide: other tests' HttpClient spans may come in, never one to this runtime API.
        var port = new Uri($"http://{api.Address}").Port;
        Assert.DoesNotContain(clientSpans, span => span.GetTagItem("server.port") is int spanPort && spanPort == port);
    }
}
