using System.Net;
using FcGateway.Edge.Requests;
using FcGateway.Edge.Triggers;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Configuration;
using static Gateway.Tests.EndToEnd.ConfigurationEdits;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// An edit of routes and their triggers: a route is never served without the trigger it has, before, during or after
/// YARP switches to the edit's routes.
/// </summary>
public sealed class TriggerReloadTests
{
    [Fact]
    public async Task ANewRoute_WhoseTriggerSettingsAreInvalid_IsNotServed()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        AddSecretRoute(Root(gateway));
        await ReloadRejectedAsync(
            gateway,
            ("Gateway:Triggers:secret:AuthType", "bearer"),
            ("Gateway:Triggers:secret:BearerToken:0", "typo-for-BearerTokens"));

        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Client.GetAsync("/secret/x")).StatusCode);
        Assert.True(gateway.Logs.Contains("Gateway:Triggers:secret:BearerToken"));
    }

    [Fact]
    public async Task ANewRouteWithBearerAuth_IsNeverServedWithoutIt()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        var configuration = Root(gateway);

        AddSecretRoute(configuration);
        configuration["Gateway:Triggers:secret:AuthType"] = "bearer";
        configuration["Gateway:Triggers:secret:BearerTokens:0"] = "right";
        configuration.Reload();

        var status = HttpStatusCode.NotFound;
        for (var attempt = 0; attempt < 10_000 && status == HttpStatusCode.NotFound; attempt++)
        {
            status = (await gateway.Client.GetAsync("/secret/x")).StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));
    }

    [Fact]
    public async Task ARequestThatArrivedBeforeTheReload_RoutedToTheRouteItAdded_IsHeldToThatRoutesTrigger()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        var configuration = Root(gateway);
        var reachedTheFunction = false;
        var triggers = ActivatorUtilities.CreateInstance<TriggerMiddleware>(gateway.Services, (RequestDelegate)(_ =>
        {
            reachedTheFunction = true;
            return Task.CompletedTask;
        }));

        // The request takes its settings, then the reload is put in force, then the request is routed: routing comes
        // after the request middleware, and matches against the routes YARP has at that moment.
        var arrival = ActivatorUtilities.CreateInstance<GatewayRequestMiddleware>(gateway.Services, (RequestDelegate)(async context =>
        {
            AddSecretRoute(configuration);
            configuration["Gateway:Triggers:secret:AuthType"] = "bearer";
            configuration["Gateway:Triggers:secret:BearerTokens:0"] = "right";
            configuration.Reload();
            await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));
            gateway.Services.GetRequiredService<IProxyStateLookup>().TryGetRoute("secret", out var route);
            context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(route!), "secret"));
            await triggers.InvokeAsync(context);
        }));
        var context = new DefaultHttpContext { RequestServices = gateway.Services, Response = { Body = new MemoryStream() } };
        context.Request.Method = "GET";
        context.Request.Host = new HostString("localhost");
        context.Request.Path = "/secret/x";

        await arrival.InvokeAsync(context);

        Assert.False(reachedTheFunction);
        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
    }

    /// <summary>
    /// Until YARP has switched to an edit's routes, requests are routed with the routes in force, and are served with the
    /// triggers that go with them, not with the edit's. An edit that narrows a route asking for a token and makes it
    /// anonymous, moving the rest of its paths to a new route that asks for the token, never serves the rest without it:
    /// under the edit's triggers, the route in force would have matched them anonymous.
    /// </summary>
    [Fact]
    public async Task ARequestRoutedBeforeYarpHasSwitched_IsServedWithTheTriggersOfTheRoutesInForce_NotWithTheEdits()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        var editable = new EditableConfiguration(new GatewayConfiguration().WithFunction("echo", worker.Url)
            .Set("Gateway:Triggers:echo:AuthType", "bearer")
            .Set("Gateway:Triggers:echo:BearerTokens:0", "right").Values);
        var loaded = new YarpSwitchListener();
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(), builder =>
        {
            ((IConfigurationBuilder)builder.Configuration).Add(editable);
            builder.Services.AddSingleton<IConfigChangeListener>(loaded);
        });
        HttpStatusCode? beforeTheSwitch = null;
        loaded.OnLoaded = () => beforeTheSwitch = Task.Run(async () => (await gateway.Client.GetAsync("/echo/secret")).StatusCode).GetAwaiter().GetResult();

        editable.Replace(
            ["Gateway:Triggers:echo:BearerTokens"],
            ("ReverseProxy:Routes:echo:Match:Path", "/echo/public/{**rest}"),
            ("Gateway:Triggers:echo:AuthType", "anonymous"),
            ("ReverseProxy:Routes:private:ClusterId", "echo"),
            ("ReverseProxy:Routes:private:Match:Path", "/echo/{**rest}"),
            ("ReverseProxy:Routes:private:Metadata:FunctionName", "echo"),
            ("Gateway:Triggers:private:AuthType", "bearer"),
            ("Gateway:Triggers:private:BearerTokens:0", "right"));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));

        Assert.Equal(HttpStatusCode.Unauthorized, beforeTheSwitch);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.Client.GetAsync("/echo/secret")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/echo/public/x")).StatusCode);
    }

    /// <summary>
    /// YARP serves an edit's routes a moment before it reports them applied: a request routed then to a route the edit
    /// changes is served with that route's trigger in the edit, not with the trigger of the route it replaces. An edit
    /// that widens an anonymous route to the paths of a route asking for a token, which it removes, and makes it ask
    /// for the token, never serves those paths without it.
    /// </summary>
    [Fact]
    public async Task ARequestRoutedToAnEditsRoute_BeforeYarpReportsItApplied_IsServedWithTheEditsTrigger()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        var editable = new EditableConfiguration(PublicAnonymousBesidePrivateBearer(worker.Url).Values);
        var switching = new YarpSwitchListener();
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(), builder =>
        {
            ((IConfigurationBuilder)builder.Configuration).Add(editable);
            builder.Services.AddSingleton<IConfigChangeListener>(switching);
        });
        HttpStatusCode? servedBeforeReported = null;
        switching.OnApplied = () => servedBeforeReported = Task.Run(async () => (await gateway.Client.GetAsync("/echo/secret")).StatusCode).GetAwaiter().GetResult();

        editable.Replace(
            ["ReverseProxy:Routes:private", "Gateway:Triggers:private"],
            ("ReverseProxy:Routes:echo:Match:Path", "/echo/{**rest}"),
            ("Gateway:Triggers:echo:AuthType", "bearer"),
            ("Gateway:Triggers:echo:BearerTokens:0", "right"));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));

        Assert.Equal(HttpStatusCode.Unauthorized, servedBeforeReported);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.Client.GetAsync("/echo/secret")).StatusCode);
    }

    private static void AddSecretRoute(IConfigurationRoot configuration)
    {
        configuration["ReverseProxy:Routes:secret:ClusterId"] = "echo";
        configuration["ReverseProxy:Routes:secret:Match:Path"] = "/secret/{**rest}";
        configuration["ReverseProxy:Routes:secret:Metadata:FunctionName"] = "echo";
    }
}
