using System.Net;
using System.Net.Sockets;
using FcGateway.Configuration;
using FcGateway.Dispatch.Health;
using FcGateway.Dispatch.Push;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Dispatch;

/// <summary>The <c>WorkerAnswers</c> policy judging probe results, without a probe being sent.</summary>
public sealed class WorkerAnswersHealthPolicyTests : IDisposable
{
    private readonly CapturedLogs _logs = new();
    private readonly LoggerFactory _loggerFactory;
    private readonly HttpMessageInvoker _unusedClient = new(new SocketsHttpHandler());
    private readonly ClusterState _cluster;
    private readonly DestinationState _worker = new("d0", new DestinationModel(new DestinationConfig { Address = "http://127.0.0.1:9001" }));
    private readonly WorkerAnswersHealthPolicy _policy;

    public WorkerAnswersHealthPolicyTests()
    {
        _loggerFactory = new LoggerFactory([_logs]);
        var config = new ClusterConfig { ClusterId = "echo", HealthCheck = FunctionClusterHealthDefaults.Apply(null) };
        _cluster = new ClusterState("echo", new ClusterModel(config, _unusedClient));
        _policy = new WorkerAnswersHealthPolicy(new AppliedHealth(), new WorkerInitializer(TimeProvider.System), _loggerFactory.CreateLogger<WorkerAnswersHealthPolicy>());
    }

    [Theory]
    [InlineData(HttpStatusCode.OK)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.InternalServerError)]
    public void AnyHttpAnswer_IsHealthy(HttpStatusCode status)
    {
        Probe(Answer(status));

        Assert.Equal(DestinationHealth.Healthy, _worker.Health.Active);
        Assert.Empty(_logs.Lines);
    }

    [Fact]
    public void RefusedConnection_TwiceInARow_IsUnhealthy_LoggedOnceWithTheCause()
    {
        Probe(Answer(HttpStatusCode.OK));

        Probe(Refused());
        var afterOne = _worker.Health.Active;
        Probe(Refused());
        Probe(Refused());

        Assert.Equal(DestinationHealth.Healthy, afterOne);
        Assert.Equal(DestinationHealth.Unhealthy, _worker.Health.Active);
        var line = Assert.Single(_logs.Lines);
        Assert.StartsWith("Warning", line, StringComparison.Ordinal);
        Assert.Contains("Worker d0 of cluster echo at http://127.0.0.1:9001 does not answer health probes (connection refused)", line, StringComparison.Ordinal);
    }

    [Fact]
    public void NoAnswerWithinTheTimeout_CountsAsAFailure_NamingTheTimeout()
    {
        Probe(TimedOut());
        Probe(TimedOut());

        Assert.Equal(DestinationHealth.Unhealthy, _worker.Health.Active);
        Assert.Contains(_logs.Lines, line => line.Contains("(no answer within 00:00:02)", StringComparison.Ordinal));
    }

    [Fact]
    public void FailuresNotInARow_KeepTheWorkerHealthy()
    {
        Probe(Answer(HttpStatusCode.OK));
        Probe(Refused());
        Probe(Answer(HttpStatusCode.OK));
        Probe(Refused());

        Assert.Equal(DestinationHealth.Healthy, _worker.Health.Active);
        Assert.Empty(_logs.Lines);
    }

    [Fact]
    public void UnhealthyWorkerThatAnswersAgain_IsHealthy_LoggedOnce()
    {
        Probe(Refused());
        Probe(Refused());

        Probe(Answer(HttpStatusCode.NotFound));
        Probe(Answer(HttpStatusCode.OK));

        Assert.Equal(DestinationHealth.Healthy, _worker.Health.Active);
        Assert.Equal(2, _logs.Lines.Count);
        Assert.Contains(_logs.Lines, line => line.StartsWith("Information", StringComparison.Ordinal)
            && line.Contains("Worker d0 of cluster echo at http://127.0.0.1:9001 answers health probes again", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _loggerFactory.Dispose();
        _unusedClient.Dispose();
    }

    private void Probe(DestinationProbingResult result)
    {
        try
        {
            _policy.ProbingCompleted(_cluster, [result]);
        }
        finally
        {
            result.Response?.Dispose();
        }
    }

    private DestinationProbingResult Answer(HttpStatusCode status) => new(_worker, new HttpResponseMessage(status), null);

    private DestinationProbingResult Refused() =>
        new(_worker, null, new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:9001)", new SocketException((int)SocketError.ConnectionRefused)));

    private DestinationProbingResult TimedOut() => new(_worker, null, new TaskCanceledException());

    /// <summary>Sets the new active health on each destination, as YARP's own updater does.</summary>
    private sealed class AppliedHealth : IDestinationHealthUpdater
    {
        public void SetActive(ClusterState cluster, IEnumerable<NewActiveDestinationHealth> newHealthStates)
        {
            foreach (var state in newHealthStates)
            {
                state.Destination.Health.Active = state.NewActiveHealth;
            }
        }

        public void SetPassive(ClusterState cluster, DestinationState destination, DestinationHealth newHealth, TimeSpan reactivationPeriod) =>
            throw new NotSupportedException("The active policy never sets passive health.");
    }
}
