using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Infrastructure;

/// <summary>Real Kestrel servers for the tests, on 127.0.0.1 with a port the system picks.</summary>
public static class LoopbackServer
{
    /// <summary>Starts a quiet server answering every request with <paramref name="handler"/>; no body-size limit.</summary>
    /// <param name="handler">Answers every request.</param>
    /// <param name="protocols">HTTP/1.1 by default (cleartext); <see cref="HttpProtocols.Http2"/> for HTTP/2 with prior knowledge.</param>
    /// <param name="url">Where to listen; a free port by default, a stopped server's address to restart it.</param>
    public static async Task<(WebApplication App, string Url)> StartAsync(RequestDelegate handler, HttpProtocols protocols = HttpProtocols.Http1AndHttp2, string url = "http://127.0.0.1:0")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);

        // An event carries a 32 MB body base64-encoded, past Kestrel's 30,000,000-byte default.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = protocols);
        });
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        return (app, UrlOf(app));
    }

    /// <summary>The address a started application listens on.</summary>
    public static string UrlOf(IHost app) =>
        app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
}
