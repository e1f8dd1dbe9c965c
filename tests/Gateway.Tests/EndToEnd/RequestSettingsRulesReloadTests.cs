using System.Net;
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
/// A request is held to the rules of the settings it is served with (<see cref="RequestSettingsRules"/>). One that took its
/// settings on arrival, before an edit, and that routing gives the edit's settings (it is routed to a route the edit adds)
/// is held to the edit's limits, trusted proxies and response headers, not to those it was held to on arrival.
/// </summary>
public sealed class RequestSettingsRulesReloadTests
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

    /// <remarks>Before, the request kept the forwarding headers of a peer the edit no longer trusts.</remarks>
    [Fact]
    public async Task ARequestRoutedToARouteAnEditAdds_LosesTheForwardingHeadersOfAPeerTheEditNoLongerTrusts()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        var context = Arriving(gateway, $"/{Route}/x");
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.5");
        var headers = context.Request.Headers;
        headers["X-Real-IP"] = "203.0.113.7";
        headers["X-Client-IP"] = "203.0.113.7";
        headers["Forwarded"] = "for=203.0.113.7;host=spoofed.example";
        headers["X-Forwarded-Host"] = "spoofed.example";

        var reachedTheFunction = await ServedAcrossTheEditAsync(gateway, context, ("Gateway:ForwardedHeaders:TrustedProxies:0", "10.9.9.9"));

        Assert.True(reachedTheFunction);
        Assert.DoesNotContain(headers, header => header.Key is "X-Real-IP" or "X-Client-IP" or "Forwarded" or "X-Forwarded-Host");
    }

    /// <remarks>Before, the function's response carried the <c>Content-Disposition</c> of the settings taken on arrival.</remarks>
    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task ARequestRoutedToARouteAnEditAdds_AnswersWithTheEditsContentDisposition(bool before, bool edited)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(
            worker, configure: config => config.Set("Gateway:ContentDispositionAttachment", before ? "true" : "false"));
        var context = Arriving(gateway, $"/{Route}/x");

        var reachedTheFunction = await ServedAcrossTheEditAsync(gateway, context, ("Gateway:ContentDispositionAttachment", edited ? "true" : "false"));

        Assert.True(reachedTheFunction);
        Assert.Equal(edited ? "attachment" : null, context.Response.Headers.ContentDisposition.SingleOrDefault());
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
    /// matches against the routes YARP has at that moment (as <see cref="TriggerReloadTests"/> drives it).
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
