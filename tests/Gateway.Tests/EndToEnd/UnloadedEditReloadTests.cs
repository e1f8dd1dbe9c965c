using System.Net;
using FcGateway.Configuration;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.ServiceDiscovery;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// A host that adds a destination resolver: YARP loads each configuration through it, reporting the one it resolved in
/// place of the one the gateway gave. An edit it cannot load — the resolver fails — is reported to the gateway as a
/// failed load alone: YARP keeps the routes it serves and reads again only at its next poll, minutes later.
/// </summary>
public sealed class UnloadedEditReloadTests
{
    /// <remarks>
    /// Before, the gateway waited for YARP to report the edit applied or refused, which it never does: no later edit was
    /// ever read, and YARP's next poll would have taken the edit's routes.
    /// </remarks>
    [Fact]
    public async Task AnEditYarpCannotLoad_IsRefused_AndTheNextEditIsRead()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        var editable = new EditableConfiguration(ConfigurationEdits.PublicAnonymousBesidePrivateBearer(worker.Url).Values);
        var resolver = new FailingDestinationResolver();
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(), builder =>
        {
            ((IConfigurationBuilder)builder.Configuration).Add(editable);
            builder.Services.AddSingleton<IDestinationResolver>(resolver);
        });

        resolver.FailFromNowOn();
        editable.Replace(
            ["ReverseProxy:Routes:private", "Gateway:Triggers:private"],
            ("ReverseProxy:Routes:echo:Match:Path", "/echo/{**rest}"),
            ("Gateway:Triggers:echo:AuthType", "bearer"),
            ("Gateway:Triggers:echo:BearerTokens:0", "right"));
        await Eventually.HoldsAsync(() => gateway.Logs.Lines.Any(line =>
            line.Contains("rejected whole", StringComparison.Ordinal) && line.Contains(FailingDestinationResolver.Failure, StringComparison.Ordinal)));

        Assert.Contains(gateway.Services.GetRequiredService<GatewayProxyConfigProvider>().GetConfig().Routes, route => route.RouteId == "private");
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/echo/public/x")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.Client.GetAsync("/echo/secret")).StatusCode);
        editable.Put("Gateway:Functions:echo:Timeout", "soon");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("Gateway:Functions:echo:Timeout: 'soon'"));
    }

    /// <remarks>
    /// Before, the gateway waited for YARP to report the very configuration it gave, and YARP reports the resolved one
    /// that wraps it: the edit's settings were never put in force, and no later edit was ever read.
    /// </remarks>
    [Fact]
    public async Task AnEdit_ThroughADestinationResolverThatWorks_IsPutInForce_AndTheNextEditIsRead()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        var editable = new EditableConfiguration(ConfigurationEdits.PublicAnonymousBesidePrivateBearer(worker.Url).Values);
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(), builder =>
        {
            ((IConfigurationBuilder)builder.Configuration).Add(editable);
            builder.Services.AddSingleton<IDestinationResolver>(new FailingDestinationResolver());
        });

        editable.Replace(
            ["ReverseProxy:Routes:private", "Gateway:Triggers:private"],
            ("ReverseProxy:Routes:echo:Match:Path", "/echo/{**rest}"),
            ("Gateway:Triggers:echo:AuthType", "bearer"),
            ("Gateway:Triggers:echo:BearerTokens:0", "right"));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.Client.GetAsync("/echo/public/x")).StatusCode);
        editable.Put("Gateway:Functions:echo:Timeout", "soon");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("Gateway:Functions:echo:Timeout: 'soon'"));
    }

    /// <summary>Hands each destination on as configured, until told to fail.</summary>
    private sealed class FailingDestinationResolver : IDestinationResolver
    {
        public const string Failure = "the destinations could not be resolved";

        private volatile bool _fails;

        public void FailFromNowOn() => _fails = true;

        public ValueTask<ResolvedDestinationCollection> ResolveDestinationsAsync(
            IReadOnlyDictionary<string, DestinationConfig> destinations, CancellationToken cancellationToken) =>
            _fails ? throw new InvalidOperationException(Failure) : new(new ResolvedDestinationCollection(destinations, null));
    }
}
