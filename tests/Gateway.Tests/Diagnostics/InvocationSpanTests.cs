using System.Diagnostics;
using FcGateway.Dispatch.Push.Http1;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.RuntimeApi;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Diagnostics;

public sealed class InvocationSpanTests
{
    private const string ClientTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    [Fact]
    public async Task Success_SpanTree_RequestSpan_Invocation_WorkerCall_AndWorkerContinuesTheTrace()
    {
        using var spans = new RecordedSpans();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        using var response = await gateway.Client.GetAsync("/echo/hello");

        var requestId = RequestIdOf(response);
        var invocation = await spans.InvocationAsync(requestId);
        Assert.Equal("invoke echo", invocation.OperationName);
        Assert.Equal(ActivityKind.Internal, invocation.Kind);
        Assert.Equal(ActivityStatusCode.Unset, invocation.Status);
        AssertTags(invocation, new()
        {
            ["faas.trigger"] = "http",
            ["faas.invocation_id"] = requestId,
            ["faas.invoked_name"] = "echo",
            ["faas.invoked_provider"] = "alibaba_cloud",
            ["faas.invoked_region"] = "cn-test",
            ["cloud.region"] = "cn-test",
            ["cloud.account.id"] = "1234567890",
            ["http.route"] = "/echo/{**rest}",
            ["http.request.method"] = "GET",
            ["server.address"] = "127.0.0.1",
            ["server.port"] = new Uri(worker.Url).Port,
            ["fcgateway.destination"] = "d0",
            ["http.response.status_code"] = 200,
            ["fcgateway.outcome"] = "success",
        });
        Assert.Null(invocation.GetTagItem("error.type"));

        // A function route is a YARP route: YARP's forwarder span sits between the request span and the invocation.
        var forwarderSpan = await spans.SpanAsync(invocation.TraceId, invocation.ParentSpanId);
        Assert.Equal("Yarp.ReverseProxy", forwarderSpan.Source.Name);
        Assert.Equal("proxy.forwarder", forwarderSpan.OperationName);
        Assert.Equal("echo", forwarderSpan.GetTagItem("proxy.route_id"));
        Assert.Equal("echo", forwarderSpan.GetTagItem("proxy.cluster_id"));
        Assert.Equal("d0", forwarderSpan.GetTagItem("proxy.destination_id"));
        var requestSpan = await spans.SpanAsync(invocation.TraceId, forwarderSpan.ParentSpanId);
        Assert.Equal("Microsoft.AspNetCore", requestSpan.Source.Name);
        Assert.Equal(ActivityKind.Server, requestSpan.Kind);

        // The gateway's own HTTP/1.1 client carries the call (WorkerConnections): its span is the gateway's, with
        // HttpClient's client-span attributes.
        var workerCall = Assert.Single(spans.ChildrenOf(invocation), s => s.Kind == ActivityKind.Client);
        Assert.Equal("FcGateway", workerCall.Source.Name);
        Assert.Equal("POST", workerCall.OperationName);
        AssertTags(workerCall, new()
        {
            ["http.request.method"] = "POST",
            ["server.address"] = "127.0.0.1",
            ["server.port"] = new Uri(worker.Url).Port,
            ["url.full"] = worker.Url.TrimEnd('/') + "/invoke",
            ["network.protocol.version"] = "1.1",
            ["http.response.status_code"] = 200,
        });
        var traceparent = Assert.Single(worker.Received).Header("traceparent");
        // Sampled (01), with W3C Trace Context Level 2's random-trace-id flag (02) that OpenTelemetry sets on a trace it starts.
        Assert.Equal($"00-{invocation.TraceId}-{workerCall.SpanId}-03", traceparent);
    }

    /// <summary>The gateway's own client names a failure as HttpClient's span would.</summary>
    [Fact]
    public async Task AWorkerCallThatCannotConnect_IsAnErrorSpan_WithHttpClientsErrorType()
    {
        using var spans = new RecordedSpans();
        using var dead = new RefusingAddress();
        await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", dead.Url)
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Enabled", "false").Values);

        using var response = await gateway.Client.GetAsync("/echo/");

        var invocation = await spans.InvocationAsync(RequestIdOf(response));
        var workerCall = Assert.Single(spans.ChildrenOf(invocation), s => s.Kind == ActivityKind.Client);
        Assert.Equal(ActivityStatusCode.Error, workerCall.Status);
        Assert.Equal("connection_error", workerCall.GetTagItem("error.type"));
        Assert.Null(workerCall.GetTagItem("http.response.status_code"));
    }

    /// <summary>
    /// A worker host name that does not resolve (<c>.invalid</c> never does, RFC 6761): its call is named as HttpClient's own
    /// span names it, whichever client carried it — the gateway's own (a small event) or HttpClient (one too large for one send).
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(WorkerConnections.MaxPayloadBytes)]
    public async Task AWorkerCallToAHostThatDoesNotResolve_IsANameResolutionError(int eventBytes)
    {
        using var spans = new RecordedSpans();
        await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", "http://no-such-host.invalid:1/")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Enabled", "false").Values);

        using var response = eventBytes == 0
            ? await gateway.Client.GetAsync("/echo/")
            : await gateway.Client.PostAsync("/echo/", new ByteArrayContent(new byte[eventBytes]));

        var invocation = await spans.InvocationAsync(RequestIdOf(response));
        var workerCall = Assert.Single(spans.ChildrenOf(invocation), s => s.Kind == ActivityKind.Client);
        Assert.Equal(eventBytes == 0 ? "FcGateway" : "System.Net.Http", workerCall.Source.Name);
        Assert.Equal(ActivityStatusCode.Error, workerCall.Status);
        Assert.Equal("name_resolution_error", workerCall.GetTagItem("error.type"));
    }

    [Fact]
    public async Task ClientTraceparent_IsHonoured_AndReachesTheWorker()
    {
        using var spans = new RecordedSpans();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.Add("traceparent", $"00-{ClientTraceId}-00f067aa0ba902b7-01");

        using var response = await gateway.Client.SendAsync(request);

        var invocation = await spans.InvocationAsync(RequestIdOf(response));
        Assert.Equal(ClientTraceId, invocation.TraceId.ToHexString());
        Assert.StartsWith($"00-{ClientTraceId}-", Assert.Single(worker.Received).Header("traceparent"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FunctionError_IsAnErrorSpan_WithErrorType()
    {
        using var spans = new RecordedSpans();
        await using var worker = await TestWorker.StartAsync((context, _) => TestWorker.Reply(context, 404, "{\"errorMessage\":\"boom\"}", "404"));
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        using var response = await gateway.Client.GetAsync("/echo/");

        var invocation = await spans.InvocationAsync(RequestIdOf(response));
        AssertFailed(invocation, "function_error", 502);
    }

    [Fact]
    public async Task Timeout_IsAnErrorSpan_WithErrorType()
    {
        using var spans = new RecordedSpans();
        var clock = new FakeTimeProvider();
        await using var worker = await HeldWorker.StartAsync();
        await using var gateway = await TestGateway.ForWorkerAsync(worker.Worker, configure: c => c.Set("Gateway:Functions:echo:Timeout", "00:01:00"), timeProvider: clock);

        var call = gateway.Client.GetAsync("/echo/");
        await worker.Invoked;
        clock.Advance(TimeSpan.FromMinutes(1));
        using var response = await call;
        worker.Release();

        var invocation = await spans.InvocationAsync(RequestIdOf(response));
        AssertFailed(invocation, "timeout", 502);
    }

    [Fact]
    public async Task NoInstance_IsAThrottledErrorSpan_WithoutDestination()
    {
        using var spans = new RecordedSpans();
        await using var gateway = await TestGateway.StartAsync(ClusterWithoutDestinations().Values);

        using var response = await gateway.Client.GetAsync("/echo/");

        var invocation = await spans.InvocationAsync(RequestIdOf(response));
        AssertFailed(invocation, "no_instance", 503);
        Assert.Null(invocation.GetTagItem("fcgateway.destination"));
        Assert.Empty(spans.ChildrenOf(invocation));
    }

    /// <remarks>A pulled invocation's instance has no network address of its own for the span to name.</remarks>
    [Fact]
    public async Task APulledInvocation_NamesItsInstance_WithoutAServerAddressOrPort()
    {
        using var spans = new RecordedSpans();
        await using var gateway = await PullFunction.StartAsync();
        await using var worker = PullingWorker.Start(gateway.RuntimeApi(), _ => Task.FromResult("""{"statusCode":200,"body":"ok"}"""u8.ToArray()));

        using var response = await gateway.Client.GetAsync("/echo/");

        var invocation = await spans.InvocationAsync(RequestIdOf(response));
        Assert.Equal("runtime-api", invocation.GetTagItem("fcgateway.destination"));
        Assert.Null(invocation.GetTagItem("server.address"));
        Assert.Null(invocation.GetTagItem("server.port"));
    }

    [Fact]
    public async Task ClientGone_IsAnErrorSpan_ClientClosed_With499()
    {
        using var spans = new RecordedSpans();
        var invoked = new TaskCompletionSource<string>();
        var clientGone = new TaskCompletionSource();
        await using var worker = await TestWorker.StartAsync(async (context, received) =>
        {
            invoked.TrySetResult(received.Header("x-fc-request-id")!);
            await clientGone.Task;
            await TestWorker.Reply(context, 200, "too late", fcStatus: null);
        });
        var clientLeft = new ClientAbortWatch();
        await using var gateway = await TestGateway.StartAsync(
            new GatewayConfiguration().WithFunction("echo", worker.Url).Values, builder => builder.Services.AddSingleton<IStartupFilter>(clientLeft));
        using var clientGivesUp = new CancellationTokenSource();

        var call = gateway.Client.GetAsync("/echo/", clientGivesUp.Token);
        var requestId = await invoked.Task;
        await clientGivesUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await clientLeft.Seen.WaitAsync(TimeSpan.FromSeconds(20));
        // The worker's answer, once the client has gone, is dropped: the invocation is the client's 499.
        clientGone.SetResult();

        var invocation = await spans.InvocationAsync(requestId);
        AssertFailed(invocation, "client_closed", 499);
    }

    [Fact]
    public async Task UnroutedRequest_TheRequestSpanCarriesTheRequestId()
    {
        using var spans = new RecordedSpans();
        await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", "http://127.0.0.1:9").Values);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/nowhere");
        request.Headers.Add("traceparent", $"00-{ClientTraceId}-00f067aa0ba902b7-01");

        using var response = await gateway.Client.SendAsync(request);

        var requestId = RequestIdOf(response);
        var requestSpan = await spans.FindAsync(s => (string?)s.GetTagItem("fcgateway.request_id") == requestId);
        Assert.Equal("Microsoft.AspNetCore", requestSpan.Source.Name);
        Assert.Equal(ClientTraceId, requestSpan.TraceId.ToHexString());
        Assert.Equal("not_found", requestSpan.GetTagItem("fcgateway.outcome"));
    }

    /// <summary>
    /// A web request whose first instance refused the connection is forwarded again, to the other: YARP's span names the
    /// route, cluster and destination of the forward that served it, once each.
    /// </summary>
    /// <remarks>Before, YARP added the three tags again on the second forward, the refused destination's first.</remarks>
    [Fact]
    public async Task AWebRequestForwardedAgainAfterARefusedConnection_ItsForwarderSpanNamesOnlyTheDestinationThatServedIt()
    {
        using var spans = new RecordedSpans();
        using var dead = new RefusingAddress();
        await using var worker = await TestWorker.ReturningAsync("up");
        await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", dead.Url, worker.Url)
            .Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web")
            .Set("ReverseProxy:Clusters:echo:LoadBalancingPolicy", "RoundRobin")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Interval", "01:00:00").Values);

        // Round robin over the two sends one of two requests to the refusing address first.
        Activity? forwardedAgain = null;
        for (var attempt = 0; attempt < 2 && forwardedAgain is null; attempt++)
        {
            using var response = await gateway.Client.PostAsync("/echo/", new StringContent("x"));
            var invocation = await spans.InvocationAsync(RequestIdOf(response));
            if (spans.ChildrenOf(invocation).Any(call => call.GetTagItem("url.full") is string url && url.StartsWith(dead.Url, StringComparison.Ordinal)))
            {
                forwardedAgain = invocation;
            }
        }

        Assert.NotNull(forwardedAgain);
        var forwarderSpan = await spans.SpanAsync(forwardedAgain.TraceId, forwardedAgain.ParentSpanId);
        Assert.Equal(
            [("proxy.route_id", "echo"), ("proxy.cluster_id", "echo"), ("proxy.destination_id", "d1")],
            forwarderSpan.TagObjects.Where(tag => tag.Key.StartsWith("proxy.", StringComparison.Ordinal)).Select(tag => (tag.Key, tag.Value as string)));
    }

    internal static GatewayConfiguration ClusterWithoutDestinations(string function = "echo") => new GatewayConfiguration()
        .Set($"ReverseProxy:Routes:{function}:ClusterId", function)
        .Set($"ReverseProxy:Routes:{function}:Match:Path", $"/{function}/{{**rest}}")
        .Set($"ReverseProxy:Routes:{function}:Metadata:FunctionName", function)
        .Set($"ReverseProxy:Clusters:{function}:LoadBalancingPolicy", "RoundRobin");

    internal static string RequestIdOf(HttpResponseMessage response) => response.Headers.GetValues("X-Fc-Request-Id").Single();

    private static void AssertFailed(Activity invocation, string errorType, int status)
    {
        Assert.Equal(ActivityStatusCode.Error, invocation.Status);
        Assert.Equal(errorType, invocation.GetTagItem("error.type"));
        Assert.Equal(errorType, invocation.GetTagItem("fcgateway.outcome"));
        Assert.Equal(status, invocation.GetTagItem("http.response.status_code"));
    }

    private static void AssertTags(Activity span, Dictionary<string, object> expected)
    {
        foreach (var (name, value) in expected)
        {
            Assert.True(Equals(value, span.GetTagItem(name)), $"{name}: expected {value}, got {span.GetTagItem(name) ?? "null"}");
        }
    }
}
