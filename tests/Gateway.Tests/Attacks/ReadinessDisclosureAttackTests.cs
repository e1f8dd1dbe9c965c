using System.Net;
using System.Text.Json;
using FcGateway.Configuration;
using FcGateway.Edge;
using FcGateway.Edge.Health;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Attacks;

/// <summary><c>/readyz</c> names every function: only callers allowed to see them get the counts.</summary>
public sealed class ReadinessDisclosureAttackTests
{
    [Theory]
    [InlineData(null, "127.0.0.1", null, true)]
    [InlineData(null, "::1", null, true)]
    [InlineData(null, "192.0.2.10", null, false)]
    [InlineData(null, "192.0.2.10", "Bearer health-token", true)]
    [InlineData(null, "192.0.2.10", "Bearer wrong", false)]
    [InlineData("Everyone", "192.0.2.10", null, true)]
    [InlineData("Nobody", "127.0.0.1", "Bearer health-token", false)]
    [InlineData("nobody", "127.0.0.1", null, false)]
    public async Task Readiness_ShowsFunctionsOnlyToAllowedCallers(string? detail, string peer, string? authorization, bool showsFunctions)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c
            .Set("Gateway:Health:ReadinessDetail", detail)
            .Set("Gateway:InvokeApi:BearerTokens:0", "health-token"));
        var context = new DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Parse(peer) } };
        context.Features.Set(new GatewayRequestFeature(gateway.Services.GetRequiredService<GatewaySettingsMonitor>()));
        context.Response.Body = new MemoryStream();
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        await gateway.Services.GetRequiredService<HealthEndpoints>().ReadyAsync(context);

        context.Response.Body.Position = 0;
        using var body = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("ready", body.RootElement.GetProperty("status").GetString());
        Assert.Equal(showsFunctions, body.RootElement.TryGetProperty("availableInstances", out _));
    }

    [Fact]
    public async Task UnknownReadinessDetail_StopsStartUp()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        var config = new GatewayConfiguration().WithFunction("echo", worker.Url).Set("Gateway:Health:ReadinessDetail", "Friends");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestGateway.StartAsync(config.Values));

        Assert.Contains("Loopback, Everyone, Nobody", error.Message, StringComparison.Ordinal);
    }
}
