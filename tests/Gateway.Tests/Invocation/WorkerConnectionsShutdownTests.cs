using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Dispatch.Push;
using FcGateway.Dispatch.Push.Http1;
using Gateway.Tests.Infrastructure;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Invocation;

/// <summary>
/// The gateway's own worker client once it is disposed (the gateway has stopped): a call racing the shutdown is refused
/// as HttpClient refuses one once disposed, and opens no connection that nothing would close.
/// </summary>
public sealed class WorkerConnectionsShutdownTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ACallAfterDispose_IsRefused_AndConnectsToNothing(bool addressUsedBefore)
    {
        await using var worker = WireWorker.Start(_ => Ok);
        var connections = new WorkerConnections(TimeProvider.System);
        var invocation = Invocation(worker.Url);
        if (addressUsedBefore)
        {
            await InvokeAsync(connections, invocation);
        }

        connections.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => InvokeAsync(connections, invocation));
        Assert.Equal(addressUsedBefore ? 1 : 0, worker.Invocations);
    }

    private static async Task InvokeAsync(WorkerConnections connections, FunctionInvocation invocation)
    {
        using var output = new PooledBuffer();
        await connections.InvokeAsync(invocation, new BufferPayload("{}"u8.ToArray()), output, maxOutput: 1024, CancellationToken.None);
    }

    private static FunctionInvocation Invocation(string address) =>
        new(
            "1-00000000-000000000000000000000000",
            "f",
            FunctionSettings.Default,
            new GatewaySettings(),
            new ClusterModel(new ClusterConfig { ClusterId = "c" }, new HttpMessageInvoker(new SocketsHttpHandler())),
            new DestinationState("d0", new DestinationModel(new DestinationConfig { Address = address })));
}
