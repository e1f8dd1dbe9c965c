using System.Net;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.RuntimeApi;

/// <summary>
/// A launched C# SDK instance pulling over either protocol its <c>FCGATEWAY_RUNTIME_API_PROTOCOL</c> names: over
/// HTTP/1.1 its own connection per poll loop, each reply sent with the next poll behind it; over h2c one shared
/// connection. Either way every body comes back whole, small or large, one call at a time or many at once.
/// </summary>
public sealed class LaunchedInstanceProtocolTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("http/1.1")]
    [InlineData("h2c")]
    public async Task EchoedBodies_ComeBackWhole_InTurnAndAtOnce(string protocol)
    {
        await using var gateway = await PullFunction.StartAsync(c => c
            .Set("Gateway:Functions:echo:Command", PullFunction.Dotnet)
            .Set("Gateway:Functions:echo:Arguments:0", Path.Combine(AppContext.BaseDirectory, "Samples.dll"))
            .Set("Gateway:Functions:echo:Arguments:1", "http-echo")
            .Set("Gateway:Functions:echo:InstanceConcurrency", "4")
            .Set("Gateway:Functions:echo:MaxInstances", "1")
            .Set("Gateway:Functions:echo:Environment:FCGATEWAY_RUNTIME_API_PROTOCOL", protocol));
        byte[][] bodies = [[], "hello"u8.ToArray(), Body(70_000, seed: 1), Body(300_000, seed: 2)];

        foreach (var body in bodies)
        {
            Assert.Equal(body, await EchoAsync(gateway, body));
        }

        var atOnce = Enumerable.Range(0, 12).Select(i => Body(1_000 + (i * 9_000), seed: i)).ToArray();
        var echoed = await Task.WhenAll(atOnce.Select(body => EchoAsync(gateway, body)));

        Assert.Equal(atOnce, echoed);
        Assert.Single(gateway.Pool().Ready);
    }

    private static async Task<byte[]> EchoAsync(TestGateway gateway, byte[] body)
    {
        var response = await gateway.Client.PostAsync("/echo/", new ByteArrayContent(body)).WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static byte[] Body(int length, int seed)
    {
        var body = new byte[length];
        new Random(seed).NextBytes(body);
        return body;
    }
}
