using System.Buffers;
using System.Net;
using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Outcomes;
using FcGateway.Dispatch;
using FcGateway.Dispatch.Push;
using FcGateway.Dispatch.Push.Http1;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Invocation;

/// <summary>
/// The buffers behind a payload are released when <see cref="WorkerInvoker.InvokeAsync"/> returns, so it must not
/// return while the handler still reads the payload — as it does over HTTP/2 when the worker answers before
/// reading the request body.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class WorkerInvokerPayloadTests
{
    /// <param name="flushDelayMs">How late the payload flushes its first part after writing it, as its continuation is
    /// on a loaded thread pool: by then another frame's flush has usually carried that part, and the worker has answered and reset
    /// the stream.</param>
    [Theory]
    [InlineData(0)]
    [InlineData(500)]
    public async Task WorkerAnsweringBeforeReadingThePayload_InvokeReturnsOnlyOnceThePayloadIsNoLongerRead(int flushDelayMs)
    {
        var (worker, workerUrl) = await LoopbackServer.StartAsync(
            async context =>
            {
                // The first part has arrived, so the payload is being written; the rest is still held back.
                await context.Request.Body.ReadAtLeastAsync(new byte[16], 16);
                context.Response.Headers["x-fc-status"] = "200";
                await context.Response.WriteAsync("early");
            },
            HttpProtocols.Http2);
        await using var _ = worker;
        using var handler = new SocketsHttpHandler();
        using var client = new HttpMessageInvoker(handler);
        var cluster = new ClusterModel(
            new ClusterConfig
            {
                ClusterId = "c",
                HttpRequest = new ForwarderRequestConfig { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact },
            },
            client);
        var destination = new DestinationState("d0", new DestinationModel(new DestinationConfig { Address = workerUrl }));
        var invocation = new FunctionInvocation("1-00000000-000000000000000000000000", "f", FunctionSettings.Default, new GatewaySettings(), cluster, destination);
        using var connections = new WorkerConnections(TimeProvider.System);
        var invoker = new WorkerInvoker(new WorkerInitializer(TimeProvider.System), connections, TimeProvider.System);
        var payload = new HeldPayload(flushDelayMs);
        using var output = new PooledBuffer();

        var invoke = invoker.InvokeAsync(invocation, payload, output, CancellationToken.None);
        var first = await Task.WhenAny(payload.Started.Task, invoke).WaitAsync(TimeSpan.FromSeconds(30));
        if (first != payload.Started.Task)
        {
            Assert.Fail($"The invocation ended before its payload was written: {await DescribeAsync(invoke)}");
        }
        await Eventually.HoldsAsync(() => output.WrittenCount > 0);

        Assert.False(invoke.IsCompleted, "the invocation returned while its payload was still being written");
        payload.Release.SetResult();
        var result = await invoke.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Outcome.Success, result.Outcome);
        Assert.Equal("early", System.Text.Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.True(payload.ReadingEnded.IsCompleted);
    }

    private static async Task<string> DescribeAsync(Task<InvocationResult> invoke)
    {
        try
        {
            var result = await invoke;
            return $"{result.Outcome}: {result.Reason}";
        }
        catch (Exception exception)
        {
            return exception.ToString();
        }
    }

    /// <summary>Writes a first part, then holds the rest until released, as a send waiting for flow control does.</summary>
    private sealed class HeldPayload(int flushDelayMs) : WorkerPayload
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task WriteToAsync(Stream stream, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(new byte[16], cancellationToken);
            if (flushDelayMs > 0)
            {
                await Task.Delay(flushDelayMs, CancellationToken.None);
            }

            // Not with the request body's token: HTTP/2 buffers the first part until some frame asks for a flush, and
            // another frame's flush (the SETTINGS ack, on a new connection) may carry it first. The worker then answers,
            // and its RST_STREAM(NO_ERROR) cancels that token; a flush still queued would fail, the payload end before
            // being held, and the invocation return Success with nothing held (1 in 12 loaded runs).
            await stream.FlushAsync(CancellationToken.None);
            Started.SetResult();
            await Release.Task;
            await stream.WriteAsync(new byte[16], cancellationToken);
        }

        public override long Length => 32;

        public override void WriteWhole(IBufferWriter<byte> destination) =>
            throw new InvalidOperationException("An HTTP/2 worker's payload is written through HttpClient.");
    }
}
