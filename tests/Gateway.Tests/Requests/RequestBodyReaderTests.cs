using System.Buffers;
using System.IO.Pipelines;
using FcGateway.Configuration;
using FcGateway.Diagnostics;
using FcGateway.Dispatch.Scheduling;
using FcGateway.Edge.Errors;
using FcGateway.Edge.Requests;
using FcGateway.Edge.Telemetry;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using System.Diagnostics.Metrics;

namespace Gateway.Tests.Requests;

public sealed class RequestBodyReaderTests : IDisposable
{
    private const int BytesBeforeTheFailure = 10;

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly InvocationTelemetry _telemetry;
    private readonly GatewayErrorWriter _errors;

    public RequestBodyReaderTests()
    {
        var metrics = new GatewayMetrics(_services.GetRequiredService<IMeterFactory>(), new FunctionInstanceScheduler(TimeProvider.System));
        _telemetry = new InvocationTelemetry(metrics, NullLoggerFactory.Instance);
        _errors = new GatewayErrorWriter(new GatewaySettingsMonitor(new ConfigurationBuilder().Build()), _telemetry, NullLogger<GatewayErrorWriter>.Instance);
    }

    /// <summary>How Kestrel reports a client that left: a reset connection, a reset HTTP/2 stream or TLS session, an abort.</summary>
    public static TheoryData<Exception> ClientGone => new()
    {
        new ConnectionResetException("Connection reset by peer"),
        new IOException("The client reset the request stream."),
        new TaskCanceledException("The request was aborted", new ConnectionAbortedException()),
        new OperationCanceledException(),
    };

    [Theory]
    [MemberData(nameof(ClientGone))]
    public async Task ClientGoneInTheMiddleOfTheBody_Is499_CountsTheBytesThatArrived_AndAbortsTheRequest(Exception failure)
    {
        var lifetime = new RecordedAbort();
        var context = new DefaultHttpContext { Request = { Method = "POST", ContentLength = 1000 } };
        context.Features.Set<IRequestBodyPipeFeature>(new FailingBody(failure));
        context.Features.Set<IHttpRequestLifetimeFeature>(lifetime);
        using var scope = _telemetry.StartInvocation(context, "echo", new GatewaySettings());

        var body = await RequestBodyReader.ReadOrRefuseAsync(context, new GatewayLimits(), _errors, scope);

        Assert.Null(body);
        Assert.Equal(StatusCodes.Status499ClientClosedRequest, context.Response.StatusCode);
        Assert.Equal(BytesBeforeTheFailure, scope.RequestBodyBytes);
        Assert.True(lifetime.Aborted);
    }

    public void Dispose() => _services.Dispose();

    private sealed class RecordedAbort : IHttpRequestLifetimeFeature
    {
        public bool Aborted { get; private set; }

        public CancellationToken RequestAborted { get; set; }

        public void Abort() => Aborted = true;
    }

    /// <summary>A body whose first read returns some bytes and whose next read fails as the transport did.</summary>
    private sealed class FailingBody(Exception failure) : PipeReader, IRequestBodyPipeFeature
    {
        private bool _read;

        public PipeReader Reader => this;

        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            if (_read)
            {
                return ValueTask.FromException<ReadResult>(failure);
            }

            _read = true;
            return ValueTask.FromResult(new ReadResult(new ReadOnlySequence<byte>(new byte[BytesBeforeTheFailure]), isCanceled: false, isCompleted: false));
        }

        public override bool TryRead(out ReadResult result) => throw new NotSupportedException();

        public override void AdvanceTo(SequencePosition consumed)
        {
        }

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
        }

        public override void CancelPendingRead()
        {
        }

        public override void Complete(Exception? exception = null)
        {
        }
    }
}
