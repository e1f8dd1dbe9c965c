using FcShared;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace FcWorker.Tests.Push;

/// <summary>A listening worker's Kestrel receives into large blocks, and events many blocks long arrive whole.</summary>
public sealed class ListenerMemoryTests
{
    [Fact]
    public async Task AListeningWorker_ReceivesIntoLargeBlocks_AndAnEventOfManyBlocks_ArrivesWhole()
    {
        await using var host = FunctionWorker.Create(["--urls", "http://127.0.0.1:0"], (byte[] payload) => payload);
        await host.StartAsync();
        var payload = new byte[(5 * LargeBlockMemoryPool.BlockSize) + 123];
        new Random(7).NextBytes(payload);
        using var client = new HttpClient { BaseAddress = host.Url };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/invoke") { Content = new ByteArrayContent(payload) };
        request.Headers.Add("x-fc-request-id", "1-00000000-000000000000000000000001");

        using var response = await client.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(payload, await response.Content.ReadAsByteArrayAsync());
        var factory = Assert.IsType<LargeBlockMemoryPoolFactory>(host.Application.Services.GetRequiredService<IMemoryPoolFactory<byte>>());
        Assert.True(factory.PoolsCreated > 0, "Kestrel made no pool with the registered factory");
    }
}
