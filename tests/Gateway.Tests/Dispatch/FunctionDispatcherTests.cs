using System.Diagnostics.Metrics;
using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Dispatch;
using FcGateway.Dispatch.Pull;
using FcGateway.Dispatch.Push;
using FcGateway.Dispatch.Push.Http1;
using FcGateway.Dispatch.Scheduling;
using FcGateway.Http;
using FcGateway.Launch;
using FcGateway.Outcomes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Dispatch;

/// <summary>Dispatch on its own: no client request, no web server; the refusals never reach a worker.</summary>
public sealed class FunctionDispatcherTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly WorkerConnections _connections;
    private readonly FunctionInstanceScheduler _scheduler;
    private readonly FunctionDispatcher _dispatcher;

    public FunctionDispatcherTests()
    {
        _scheduler = new FunctionInstanceScheduler(_time);
        _connections = new WorkerConnections(_time);
        var runtimeApi = new RuntimeApiDirectory();
        var launched = new LaunchedInstancePools(
            new GatewaySettingsMonitor(new ConfigurationBuilder().Build()), _scheduler, runtimeApi,
            new LaunchedProcesses(NullLoggerFactory.Instance, NullLogger<LaunchedProcesses>.Instance), new NoRuntimeApi(), new RequestIdGenerator(_time), _time,
            new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>(), NullLogger<LaunchedInstancePool>.Instance);
        _dispatcher = new FunctionDispatcher(_scheduler, new WorkerInvoker(new WorkerInitializer(_time), _connections, _time), new PullInvoker(runtimeApi, _time), runtimeApi, launched, _time);
    }

    public void Dispose() => _connections.Dispose();

    [Fact]
    public async Task NoCandidates_IsNoInstance()
    {
        var observer = new RecordingObserver();

        var result = await _dispatcher.InvokeAsync(Request(Cluster(), [], observer), CancellationToken.None);

        Assert.Equal(Outcome.NoInstance, result.Outcome);
        Assert.Contains("no available instance", result.Reason, StringComparison.Ordinal);
        Assert.Equal(["requested"], observer.Events);
    }

    [Fact]
    public async Task EveryInstanceBusy_AndNoQueue_IsQueueFull()
    {
        var cluster = Cluster("d0");
        var settings = Settings(maxQueueLength: 0);
        using var held = (await _scheduler.AcquireAsync("f", settings.GetFunction("f"), cluster, Candidates(cluster), null, CancellationToken.None)).Lease;

        var result = await _dispatcher.InvokeAsync(Request(cluster, Candidates(cluster), settings: settings), CancellationToken.None);

        Assert.Equal(Outcome.QueueFull, result.Outcome);
        Assert.Null(result.Destination);
    }

    [Fact]
    public async Task EveryInstanceBusy_PastTheQueueTimeout_IsQueueTimeout()
    {
        var cluster = Cluster("d0");
        var settings = Settings(maxQueueLength: 10);
        using var held = (await _scheduler.AcquireAsync("f", settings.GetFunction("f"), cluster, Candidates(cluster), null, CancellationToken.None)).Lease;

        var invoke = _dispatcher.InvokeAsync(Request(cluster, Candidates(cluster), settings: settings), CancellationToken.None);
        await Gateway.Tests.Infrastructure.Eventually.HoldsAsync(() => _scheduler.QueueOf("f").Queued == 1);
        _time.Advance(TimeSpan.FromMinutes(2));
        var result = await invoke.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Outcome.QueueTimeout, result.Outcome);
    }

    [Fact]
    public async Task CallerGivesUpWhileQueued_IsClientClosed_AndLeavesTheQueue()
    {
        var cluster = Cluster("d0");
        var settings = Settings(maxQueueLength: 10);
        using var held = (await _scheduler.AcquireAsync("f", settings.GetFunction("f"), cluster, Candidates(cluster), null, CancellationToken.None)).Lease;
        using var gone = new CancellationTokenSource();

        var invoke = _dispatcher.InvokeAsync(Request(cluster, Candidates(cluster), settings: settings), gone.Token);
        await Gateway.Tests.Infrastructure.Eventually.HoldsAsync(() => _scheduler.QueueOf("f").Queued == 1);
        await gone.CancelAsync();
        var result = await invoke.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Outcome.ClientClosed, result.Outcome);
        Assert.Equal(0, _scheduler.QueueOf("f").Queued);
    }

    [Fact]
    public async Task FreeInstances_WithoutAPicker_TheLeastLoadedIsTaken()
    {
        var cluster = Cluster("d0", "d1");
        var settings = Settings(maxQueueLength: 0, concurrency: 2);
        using var first = (await _scheduler.AcquireAsync("f", settings.GetFunction("f"), cluster, Candidates(cluster), null, CancellationToken.None)).Lease!;

        using var second = (await _scheduler.AcquireAsync("f", settings.GetFunction("f"), cluster, Candidates(cluster), null, CancellationToken.None)).Lease!;

        Assert.NotSame(first.Destination, second.Destination);
    }

    [Fact]
    public async Task FreeInstances_WithAPicker_ThePickerChooses()
    {
        var cluster = Cluster("d0", "d1", "d2");
        var settings = Settings(maxQueueLength: 0, concurrency: 1);

        using var lease = (await _scheduler.AcquireAsync("f", settings.GetFunction("f"), cluster, Candidates(cluster), new LastPicker(), CancellationToken.None)).Lease!;

        Assert.Equal("d2", lease.Destination.DestinationId);
    }

    private static InvocationRequest Request(ClusterState cluster, IReadOnlyList<DestinationState> candidates, IInvocationObserver? observer = null, GatewaySettings? settings = null) => new()
    {
        RequestId = "1-00000000-000000000000000000000000",
        Target = new FunctionTarget("f", settings ?? Settings(maxQueueLength: 0), cluster),
        Candidates = candidates,
        Payload = new BufferPayload(ReadOnlyMemory<byte>.Empty),
        Output = new PooledBuffer(),
        Observer = observer,
    };

    private static GatewaySettings Settings(int maxQueueLength, int concurrency = 1) => new()
    {
        Functions = new Dictionary<string, FunctionSettings>
        {
            ["f"] = FunctionSettings.Default with { InstanceConcurrency = concurrency, MaxQueueLength = maxQueueLength, QueueTimeout = TimeSpan.FromMinutes(1) },
        },
    };

    private static ClusterState Cluster(params string[] destinations)
    {
        var cluster = new ClusterState("c");
        foreach (var id in destinations)
        {
            cluster.Destinations.TryAdd(id, new DestinationState(id, new DestinationModel(new DestinationConfig { Address = $"http://127.0.0.1:9/{id}" })));
        }

        return cluster;
    }

    private static List<DestinationState> Candidates(ClusterState cluster) => [.. cluster.Destinations.Values.OrderBy(d => d.DestinationId, StringComparer.Ordinal)];

    private sealed class NoRuntimeApi : IRuntimeApiListener
    {
        public Uri? Address => null;

        public InstanceAddress? OpenInstanceAddress(string functionName, string instanceId) => null;
    }

    private sealed class LastPicker : IInstancePicker
    {
        public DestinationState? Pick(ClusterState cluster, IReadOnlyList<DestinationState> free) => free[^1];
    }

    private sealed class RecordingObserver : IInvocationObserver
    {
        public List<string> Events { get; } = [];

        public void InstanceRequested() => Events.Add("requested");

        public void InstanceChosen(DestinationState destination) => Events.Add($"chosen {destination.DestinationId}");

        public void ColdStarted() => Events.Add("cold start");

        public void WorkerCallEnded() => Events.Add("ended");
    }
}
