using System.Net;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.EndToEnd;

public sealed class LifecycleTests
{
    /// <summary>SIGHUP (a closed terminal, <c>kill -HUP</c>) stops the gateway as SIGTERM does, not at once.</summary>
    [Theory]
    [InlineData("TERM")]
    [InlineData("HUP")]
    public async Task TheStopSignal_FinishesInFlightInvocations_RefusesNewConnections_AndExitsZero(string signal)
    {
        var release = new TaskCompletionSource();
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await TestWorker.Reply(context, 200, "finished", "200");
        });
        using var gateway = await GatewayProcess.StartAsync(
            new Dictionary<string, object>
            {
                ["Gateway"] = new { DrainTimeout = "00:00:20" },
                ["ReverseProxy"] = new
                {
                    Routes = new { echo = new { ClusterId = "echo", Match = new { Path = "/echo/{**rest}" }, Metadata = new { FunctionName = "echo" } } },
                    Clusters = new { echo = new { Destinations = new { one = new { Address = worker.Url } } } },
                },
            },
            "--urls",
            "http://127.0.0.1:0");
        using var client = new HttpClient { BaseAddress = new Uri(gateway.Url) };

        var inFlight = client.GetAsync("/echo/");
        await Eventually.HoldsAsync(() => !worker.Received.IsEmpty);
        gateway.SendSignal(signal);
        await Eventually.HoldsAsync(async () => !await gateway.AcceptsConnectionsAsync());
        release.SetResult();

        var response = await inFlight;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("finished", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await gateway.WaitForExitAsync());
    }

    [Fact]
    public async Task Reload_WhileAnInvocationIsInFlight_DoesNotFailIt()
    {
        var release = new TaskCompletionSource();
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            await release.Task;
            await TestWorker.Reply(context, 200, "finished", "200");
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        var configuration = (IConfigurationRoot)gateway.Services.GetRequiredService<IConfiguration>();

        var inFlight = gateway.Client.GetAsync("/echo/");
        await Eventually.HoldsAsync(() => !worker.Received.IsEmpty);
        configuration["ReverseProxy:Routes:echo:Match:Path"] = "/moved/{**rest}";
        configuration["Gateway:Functions:echo:Timeout"] = "00:00:20";
        configuration.Reload();
        await Eventually.HoldsAsync(async () => (await gateway.Client.GetAsync("/echo/")).StatusCode == HttpStatusCode.NotFound);
        configuration["Gateway:Functions:echo:MemorySize"] = "not a number";
        configuration.Reload();
        release.SetResult();

        var response = await inFlight;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("finished", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/moved/")).StatusCode);
    }
}
