using System.Net;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.EndToEnd;

public sealed class FaultBarrierTests
{
    [Fact]
    public async Task UnexpectedGatewayFault_Returns500WithoutDetails_AndTheNextRequestSucceeds()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        var clock = new FaultyClock();
        var config = new GatewayConfiguration().WithFunction("echo", worker.Url);
        await using var gateway = await TestGateway.StartAsync(config.Values, builder => builder.Services.AddSingleton<TimeProvider>(clock));

        clock.Fail = true;
        var failed = await gateway.Client.GetAsync("/echo/");
        clock.Fail = false;
        var next = await gateway.Client.GetAsync("/echo/");

        await ErrorPathTests.AssertGatewayErrorAsync(failed, HttpStatusCode.InternalServerError, "InternalServerError");
        var body = await failed.Content.ReadAsStringAsync();
        Assert.DoesNotContain("clock broke", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        Assert.True(gateway.Logs.Contains("clock broke"));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task RouteWithPathTransform_EventCarriesTheTransformedPath()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c
            .Set("ReverseProxy:Routes:echo:Transforms:0:PathRemovePrefix", "/echo")
            .Set("ReverseProxy:Routes:echo:Transforms:1:QueryValueParameter", "added")
            .Set("ReverseProxy:Routes:echo:Transforms:1:Set", "yes"));

        await gateway.Client.GetAsync("/echo/a%20b?x=1");

        var @event = Assert.Single(worker.Received).Event;
        Assert.Equal("/a%20b", @event.GetProperty("rawPath").GetString());
        Assert.Equal("/a b", @event.GetProperty("requestContext").GetProperty("http").GetProperty("path").GetString());
        Assert.Equal("1", @event.GetProperty("queryParameters").GetProperty("x").GetString());
        Assert.Equal("yes", @event.GetProperty("queryParameters").GetProperty("added").GetString());
    }

    private sealed class FaultyClock : TimeProvider
    {
        public volatile bool Fail;

        public override DateTimeOffset GetUtcNow() =>
            Fail ? throw new InvalidOperationException("clock broke") : base.GetUtcNow();
    }
}
