using System.Net;
using System.Net.Sockets;
using FcQuickStart;
using FcWorker.Samples;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.QuickStart;

public sealed class QuickStartHostTests
{
    [Fact]
    public async Task ConfiguredPort_TheSampleListensThere_AndTheGatewayCallsItThere()
    {
        var port = QuickStartFolder.FreePort();
        using var folder = await QuickStartFolder.CreateAsync(("http-echo", port));

        await using var quickStart = await QuickStartHost.StartAsync(ArgumentsFor(folder), Quiet);
        using var client = new HttpClient { BaseAddress = new Uri(LoopbackServer.UrlOf(quickStart.Gateway)) };
        using var response = await client.PostAsync("/http-echo", new StringContent("Hello FC!"));

        var (sample, url) = Assert.Single(quickStart.Samples.Urls);
        Assert.Equal(("http-echo", port), (sample, url.Port));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello FC!", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SamplePortInUse_ThrowsNamingTheSampleAndPort_AndLeavesNoSampleRunning()
    {
        var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        try
        {
            var occupiedPort = ((IPEndPoint)occupied.LocalEndpoint).Port;
            var startedBefore = QuickStartFolder.FreePort();
            using var folder = await QuickStartFolder.CreateAsync(("event-struct", startedBefore), ("http-echo", occupiedPort));

            var exception = await Assert.ThrowsAsync<SampleAddressInUseException>(() => QuickStartHost.StartAsync(ArgumentsFor(folder), Quiet));

            Assert.Equal(("http-echo", occupiedPort), (exception.Sample, exception.Address.Port));
            using var rebind = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            rebind.Bind(new IPEndPoint(IPAddress.Loopback, startedBefore));
        }
        finally
        {
            occupied.Stop();
        }
    }

    private static string[] ArgumentsFor(QuickStartFolder folder) => ["--contentRoot", folder.Path, "--urls", "http://127.0.0.1:0"];

    private static void Quiet(WebApplicationBuilder builder) => builder.Logging.ClearProviders();
}
