using System.Net;
using System.Net.Sockets;
using FcGateway.Buffers;
using FcGateway.Dispatch.Push.Http1;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Invocation;

/// <summary>
/// The receive a pooled WorkerConnection starts while idle, by which the next call's reply is read: the deadline ends
/// it by closing the socket, and a call whose deadline closed the socket is cancelled, as HttpClient's, even when the
/// receive had already got the reply.
/// </summary>
public sealed class WorkerConnectionIdleReceiveTests
{
    /// <summary>The token cancelled before the read stands for a deadline that fires just as the reply arrives.</summary>
    [Fact]
    public async Task AReplyTheIdleReceiveGot_ReadPastTheDeadline_IsCancelled()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var address = (IPEndPoint)listener.LocalEndpoint;
        using var connection = await WorkerConnection.ConnectAsync(address, address.ToString(), CancellationToken.None);
        using var worker = await listener.AcceptSocketAsync();
        Assert.True(connection.ListenWhileIdle());

        await worker.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"u8.ToArray().AsMemory(), SocketFlags.None);
        await Eventually.HoldsAsync(() => !connection.LooksOpen(TimeSpan.Zero));
        using var output = new PooledBuffer();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await connection.ReadReplyAsync(output, 1000, new CancellationToken(canceled: true)));
        Assert.False(connection.IsReusable);
    }
}
