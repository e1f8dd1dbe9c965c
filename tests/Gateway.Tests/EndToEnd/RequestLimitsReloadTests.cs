using System.Text;
using FcGateway.Edge.Requests;
using FcGateway.Edge.Triggers;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// A request is held to the limits of the settings it is served with. One that took its settings on arrival, before an
/// edit, and that routing gives the edit's settings (it is routed to a route the edit adds) is held to the edit's limits,
/// not to those it was checked against on arrival.
/// </summary>
public sealed class RequestLimitsReloadTests
{
    private const string Route = "secret";

    [Fact]
    public async Task ARequestRoutedToARouteAnEditAdds_IsRefused_WhenTheEditsLimitsRefuseIt()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        var target = $"/{Route}/{new string('a', 100)}";
        var context = Arriving(gateway, target);

        var reachedTheFunction = await ServedAcrossTheEditAsync(gateway, context, ("Gateway:Limits:MaxPathAndQueryBytes", "64"));

        Assert.False(reachedTheFunction);
        Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
        Assert.Contains("The path and query exceed 64 bytes.", Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARequestRoutedToARouteAnEditAdds_IsGivenTheEditsBodyLimit()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        var context = Arriving(gateway, $"/{Route}/x");
        var bodySize = new BodySizeFeature();
        context.Features.Set<IHttpMaxRequestBodySizeFeature>(bodySize);

        var reachedTheFunction = await ServedAcrossTheEditAsync(gateway, context, ("Gateway:Limits:MaxRequestBodyBytes", "40000000"));

        Assert.True(reachedTheFunction);
        Assert.Equal(40_000_000, bodySize.MaxRequestBodySize);
    }

    private static DefaultHttpContext Arriving(TestGateway gateway, string target)
    {
        var context = new DefaultHttpContext { RequestServices = gateway.Services, Response = { Body = new MemoryStream() } };
        context.Request.Method = "GET";
        context.Request.Host = new HostString("localhost");
        context.Request.Path = target;
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = target;
        return context;
    }

    /// <summary>
    /// Runs <paramref name="context"/> through the gateway's request middleware, which gives it the settings in force; then
    /// adds the route <see cref="Route"/> with <paramref name="edit"/>, waits until YARP has reported the edit applied, routes
    /// the request to that route and runs the steps after routing. Routing comes after the request middleware, and
    /// matches against the routes YARP has at that moment (as <see cref="ConfigurationReloadTests"/> drives it).
    /// </summary>
    /// <returns>Whether the request reached the function.</returns>
    private static async Task<bool> ServedAcrossTheEditAsync(TestGateway gateway, HttpContext context, params (string Key, string Value)[] edit)
    {
        var configuration = (IConfigurationRoot)gateway.Services.GetRequiredService<IConfiguration>();
        var reachedTheFunction = false;
        var triggers = ActivatorUtilities.CreateInstance<TriggerMiddleware>(gateway.Services, (RequestDelegate)(_ =>
        {
            reachedTheFunction = true;
            return Task.CompletedTask;
        }));
        var afterRouting = ActivatorUtilities.CreateInstance<TriggerCorsMiddleware>(gateway.Services, (RequestDelegate)triggers.InvokeAsync);
        var arrival = ActivatorUtilities.CreateInstance<GatewayRequestMiddleware>(gateway.Services, (RequestDelegate)(async arrived =>
        {
            configuration[$"ReverseProxy:Routes:{Route}:ClusterId"] = "echo";
            configuration[$"ReverseProxy:Routes:{Route}:Match:Path"] = $"/{Route}/{{**rest}}";
            configuration[$"ReverseProxy:Routes:{Route}:Metadata:FunctionName"] = "echo";
            foreach (var (key, value) in edit)
            {
                configuration[key] = value;
            }

            configuration.Reload();
            await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));
            gateway.Services.GetRequiredService<IProxyStateLookup>().TryGetRoute(Route, out var route);
            arrived.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(route!), Route));
            await afterRouting.InvokeAsync(arrived);
        }));

        await arrival.InvokeAsync(context);
        return reachedTheFunction;
    }

    private sealed class BodySizeFeature : IHttpMaxRequestBodySizeFeature
    {
        public bool IsReadOnly => false;

        public long? MaxRequestBodySize { get; set; }
    }
}
