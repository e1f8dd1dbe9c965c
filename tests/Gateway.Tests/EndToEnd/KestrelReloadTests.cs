using System.Net;
using System.Text.RegularExpressions;
using FcGateway.RuntimeApi;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.EndToEnd;

/// <summary>Kestrel's endpoints follow the edits the gateway accepts, not those it rejects.</summary>
public sealed class KestrelReloadTests
{
    /// <remarks>Before, Kestrel read the file's section itself and moved the endpoint while the gateway rejected the edit.</remarks>
    [Fact]
    public async Task AnEndpointMovedByAnEditTheGatewayRejects_StaysWhereItWas_UntilTheEditIsMended()
    {
        var (before, after) = ($"http://127.0.0.1:{QuickStartFolder.FreePort()}", $"http://127.0.0.1:{QuickStartFolder.FreePort()}");
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Kestrel:Endpoints:web:Url", before));
        var configuration = (IConfigurationRoot)gateway.Services.GetRequiredService<IConfiguration>();
        var kestrelReads = gateway.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.ConfigurationLoader!.Configuration;
        using var client = new HttpClient();

        configuration["Kestrel:Endpoints:web:Url"] = after;
        configuration["Gateway:Functions:echo:MemorySize"] = "lots";
        configuration.Reload();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("previous settings stay in force"));

        Assert.Equal(before, kestrelReads["Endpoints:web:Url"]);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{before}/echo/")).StatusCode);

        configuration["Gateway:Functions:echo:MemorySize"] = "2048";
        configuration.Reload();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));

        Assert.Equal(after, kestrelReads["Endpoints:web:Url"]);
        await Eventually.HoldsAsync(() => AnswersAsync(client, after));
        Assert.Equal("2048", worker.Received.Last().Header("x-fc-function-memory"));
    }

    /// <remarks>
    /// Before, the gateway took the edit, and Kestrel, failing to read the certificate, logged "Unable to reload
    /// configuration" and bound none of its endpoints: half an edit applied.
    /// </remarks>
    [Fact]
    public async Task AnEditThatAddsAnEndpointWhoseCertificateDoesNotReadWithItsPassword_IsRefused_NamingIt()
    {
        var url = $"http://127.0.0.1:{QuickStartFolder.FreePort()}";
        using var certificate = await TlsEndpointCertificate.CreateAsync();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Kestrel:Endpoints:web:Url", url));
        var configuration = (IConfigurationRoot)gateway.Services.GetRequiredService<IConfiguration>();
        var kestrelReads = gateway.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.ConfigurationLoader!.Configuration;
        using var client = new HttpClient();

        foreach (var (key, value) in certificate.ServedBy("tls"))
        {
            configuration[key] = value;
        }

        configuration["Kestrel:Endpoints:tls:Url"] = "https://127.0.0.1:0";
        configuration["Kestrel:Endpoints:tls:Certificate:Password"] = "wrong";
        configuration["Gateway:Functions:echo:MemorySize"] = "2048";
        configuration.Reload();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("previous settings stay in force") || gateway.Logs.Contains("is now in force"));

        Assert.Contains(gateway.Logs.Lines, line => line.Contains("previous settings stay in force", StringComparison.Ordinal)
            && line.Contains("Kestrel:Endpoints:tls:Certificate: not readable with its key and password", StringComparison.Ordinal));
        Assert.Null(kestrelReads["Endpoints:tls:Url"]);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{url}/echo/")).StatusCode);
        Assert.Equal("512", worker.Received.Last().Header("x-fc-function-memory"));
    }

    /// <remarks>
    /// Kestrel would stop the endpoint and bind nothing in its place (it binds Urls at start-up only): the edit is refused,
    /// naming <c>Kestrel:Endpoints</c>. Before, it was taken without its <c>Kestrel</c> section, with a warning that the
    /// endpoints waited for a restart: half an edit applied.
    /// </remarks>
    [Fact]
    public async Task AnEditThatRemovesEveryEndpoint_IsRefused_AndTheyKeepListening()
    {
        var url = $"http://127.0.0.1:{QuickStartFolder.FreePort()}";
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartWithEndpointAsync(worker, url, out var editable);
        var kestrelReads = gateway.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.ConfigurationLoader!.Configuration;
        using var client = new HttpClient();

        editable.Replace(["Kestrel"], ("Gateway:Functions:echo:MemorySize", "2048"));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("previous settings stay in force") || gateway.Logs.Contains("is now in force"));

        Assert.Contains(gateway.Logs.Lines, line => line.Contains("previous settings stay in force", StringComparison.Ordinal)
            && line.Contains("Kestrel:Endpoints: the edit removes every endpoint", StringComparison.Ordinal));
        Assert.Equal(url, kestrelReads["Endpoints:web:Url"]);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{url}/echo/")).StatusCode);
        Assert.Equal("512", worker.Received.Last().Header("x-fc-function-memory"));
    }

    /// <remarks>
    /// Before, the edit was taken: Kestrel bound the endpoint beside the listener of <c>Urls</c> (bound at start-up only,
    /// it stays), failed with "address already in use" and logged it as critical, with its stack trace.
    /// </remarks>
    [Fact]
    public async Task AnEditThatAddsAnEndpointOnThePortUrlsListenOn_IsRefusedAsACollision()
    {
        var url = $"http://127.0.0.1:{QuickStartFolder.FreePort()}";
        await using var worker = await TestWorker.ReturningAsync("ok");
        var editable = new EditableConfiguration(new GatewayConfiguration().WithFunction("echo", worker.Url).Values);
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(), builder =>
        {
            ((IConfigurationBuilder)builder.Configuration).Add(editable);
            builder.WebHost.UseUrls(url);
        });
        using var client = new HttpClient();

        editable.Put(("Kestrel:Endpoints:web:Url", url), ("Gateway:Functions:echo:MemorySize", "2048"));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("previous settings stay in force"));

        Assert.Contains(gateway.Logs.Lines, line => line.Contains($"Kestrel:Endpoints:web:Url: '{url}' is port", StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("Unable to bind", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{url}/echo/")).StatusCode);
        Assert.Equal("512", worker.Received.Last().Header("x-fc-function-memory"));
    }

    /// <remarks>
    /// Neither its <c>Urls</c> nor the runtime API's bind before a restart, but they collide then, and the next start would
    /// refuse the edit: it is refused now, naming both keys. Before, it was taken, with a warning.
    /// </remarks>
    [Fact]
    public async Task AnEditThatRemovesEveryEndpoint_IsRefused_WhenItsOwnUrlsCollideAtTheNextStart()
    {
        var (url, edited) = ($"http://127.0.0.1:{QuickStartFolder.FreePort()}", $"http://127.0.0.1:{QuickStartFolder.FreePort()}");
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartWithEndpointAsync(worker, url, out var editable);

        editable.Replace(["Kestrel"], ("Urls", edited), ("Gateway:RuntimeApi:Urls", edited), ("Gateway:Functions:echo:MemorySize", "2048"));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("previous settings stay in force") || gateway.Logs.Contains("is now in force"));

        Assert.Contains(gateway.Logs.Lines, line => line.Contains("previous settings stay in force", StringComparison.Ordinal)
            && line.Contains($"Gateway:RuntimeApi:Urls: '{edited}' is port {new Uri(edited).Port} of an address Urls listens on too", StringComparison.Ordinal)
            && line.Contains("The gateway's next start would refuse this", StringComparison.Ordinal));
        using var client = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{url}/echo/")).StatusCode);
        Assert.Equal("512", worker.Received.Last().Header("x-fc-function-memory"));
    }

    /// <remarks>
    /// The runtime API's new <c>Urls</c> bind at the next start, when the endpoints are gone, and Kestrel's default
    /// (<c>Urls</c> unset) listens on another port: nothing collides, then or now, and the edit is refused for the
    /// endpoints it removes alone. Before, it was refused for a collision of those <c>Urls</c> with the endpoints too.
    /// </remarks>
    [Fact]
    public async Task AnEditThatRemovesEveryEndpoint_AndMovesTheRuntimeApiToTheirPort_IsRefusedForTheRemovalAlone()
    {
        var url = $"http://127.0.0.1:{QuickStartFolder.FreePort()}";
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartWithEndpointAsync(worker, url, out var editable);

        editable.Replace(["Kestrel"], ("Gateway:RuntimeApi:Urls", url), ("Gateway:Functions:echo:MemorySize", "2048"));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("previous settings stay in force") || gateway.Logs.Contains("is now in force"));

        var refusal = Assert.Single(gateway.Logs.Lines, line => line.Contains("previous settings stay in force", StringComparison.Ordinal));
        Assert.Contains("1 problem(s)", refusal, StringComparison.Ordinal);
        Assert.Contains("Kestrel:Endpoints: the edit removes every endpoint", refusal, StringComparison.Ordinal);
        using var client = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{url}/echo/")).StatusCode);
    }

    /// <remarks>
    /// Before, the edit was checked against its own <c>Gateway:RuntimeApi:Urls</c>, which wait for a restart, not the
    /// runtime API's listener bound at start-up: it was taken, and Kestrel failed to bind the endpoint ("address already
    /// in use", logged as critical).
    /// </remarks>
    [Fact]
    public async Task AnEditThatAddsAnEndpointOnThePortTheRuntimeApiListensOn_IsRefused_ThoughItMovesGatewayRuntimeApiUrls()
    {
        var (url, runtimeApi, moved) = ($"http://127.0.0.1:{QuickStartFolder.FreePort()}", $"http://127.0.0.1:{QuickStartFolder.FreePort()}", $"http://127.0.0.1:{QuickStartFolder.FreePort()}");
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartWithEndpointAsync(worker, url, out var editable, ("Gateway:RuntimeApi:Urls", runtimeApi));

        editable.Put(("Kestrel:Endpoints:other:Url", runtimeApi), ("Gateway:RuntimeApi:Urls", moved), ("Gateway:Functions:echo:MemorySize", "2048"));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("previous settings stay in force") || gateway.Logs.Contains("is now in force"));

        Assert.Contains(gateway.Logs.Lines, line => line.Contains(
            $"Kestrel:Endpoints:other:Url: '{runtimeApi}' is port {new Uri(runtimeApi).Port} of an address Gateway:RuntimeApi:Urls (bound since start-up)", StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("Unable to bind", StringComparison.Ordinal));
        using var client = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{url}/echo/")).StatusCode);
        Assert.Equal("512", worker.Received.Last().Header("x-fc-function-memory"));
    }

    /// <remarks>
    /// A runtime API listener on port 0 holds the port it took: an endpoint an edit adds there is a collision, listed with
    /// the edit's other problems. Before, such a listener took part in no collision check (its port was not known), and
    /// the edit, mended of its other problems, was taken and Kestrel failed to bind the endpoint.
    /// </remarks>
    [Theory]
    [InlineData("Gateway:RuntimeApi:Urls")]
    [InlineData("Gateway:Functions:pulled:RuntimeApiUrl")]
    public async Task AnEditThatAddsAnEndpointOnThePortARuntimeApiListenerOnPort0Took_IsRefused_WithItsOtherProblems(string listener)
    {
        var url = $"http://127.0.0.1:{QuickStartFolder.FreePort()}";
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartWithEndpointAsync(
            worker, url, out var editable, ("Gateway:RuntimeApi:Urls", "http://127.0.0.1:0"), ("ReverseProxy:Routes:pulled:Match:Path", "/pulled/{**rest}"),
            ("ReverseProxy:Routes:pulled:Metadata:FunctionName", "pulled"), ("Gateway:Functions:pulled:RuntimeApi", "fc"),
            ("Gateway:Functions:pulled:RuntimeApiUrl", "http://127.0.0.1:0"));
        var server = gateway.Services.GetRequiredService<RuntimeApiServer>();
        var port = listener == "Gateway:RuntimeApi:Urls" ? server.Address!.Port : ((IPEndPoint)server.FunctionAddress("pulled")!).Port;

        editable.Put(("Kestrel:Endpoints:other:Url", $"http://127.0.0.1:{port}"), ("Gateway:Functions:echo:MemorySize", "lots"));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("previous settings stay in force"));

        Assert.Contains(gateway.Logs.Lines, line => line.Contains("2 problem(s)", StringComparison.Ordinal)
            && line.Contains($"Kestrel:Endpoints:other:Url: 'http://127.0.0.1:{port}' is port {port} of an address {listener} (bound since start-up)", StringComparison.Ordinal)
            && line.Contains("Gateway:Functions:echo:MemorySize", StringComparison.Ordinal));
        using var client = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{url}/echo/")).StatusCode);
    }

    /// <remarks>
    /// A gateway started without endpoints on <c>Urls</c> of port 0 (here the test gateway's <c>http://127.0.0.1:0</c>)
    /// holds the port it took: an endpoint an edit adds there is a collision, listed with the edit's other problems. Before,
    /// that listener took part in no collision check, and the edit, mended of its other problems, was taken and Kestrel
    /// failed to bind the endpoint.
    /// </remarks>
    [Fact]
    public async Task AnEditThatAddsAnEndpointOnThePortUrlsOnPort0Took_IsRefused_WithItsOtherProblems()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        var editable = new EditableConfiguration(new GatewayConfiguration().WithFunction("echo", worker.Url).Values);
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(), builder => ((IConfigurationBuilder)builder.Configuration).Add(editable));
        var port = new Uri(gateway.Url).Port;

        editable.Put(("Kestrel:Endpoints:other:Url", $"http://127.0.0.1:{port}"), ("Gateway:Functions:echo:MemorySize", "lots"));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("previous settings stay in force"));

        Assert.Contains(gateway.Logs.Lines, line => line.Contains("2 problem(s)", StringComparison.Ordinal)
            && line.Contains($"Kestrel:Endpoints:other:Url: 'http://127.0.0.1:{port}' is port {port} of an address Urls (bound since start-up) listens on too ('http://127.0.0.1:{port}')", StringComparison.Ordinal)
            && line.Contains("Gateway:Functions:echo:MemorySize", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/echo/")).StatusCode);
    }

    /// <remarks>
    /// An endpoint an edit adds on the port the runtime API listens on collides with it both now and at the next start (the
    /// edit leaves <c>Gateway:RuntimeApi:Urls</c> as it is): one mistake, named once. Before, the refusal listed it twice,
    /// as two problems.
    /// </remarks>
    [Fact]
    public async Task AnEditThatAddsAnEndpointOnTheRuntimeApisPort_IsRefused_NamingTheCollisionOnce()
    {
        var (url, runtimeApi) = ($"http://127.0.0.1:{QuickStartFolder.FreePort()}", $"http://127.0.0.1:{QuickStartFolder.FreePort()}");
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartWithEndpointAsync(worker, url, out var editable, ("Gateway:RuntimeApi:Urls", runtimeApi));

        editable.Put(("Kestrel:Endpoints:other:Url", runtimeApi), ("Gateway:Functions:echo:MemorySize", "2048"));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("previous settings stay in force") || gateway.Logs.Contains("is now in force"));

        var refusal = Assert.Single(gateway.Logs.Lines, line => line.Contains("previous settings stay in force", StringComparison.Ordinal));
        Assert.Contains("1 problem(s)", refusal, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(refusal, Regex.Escape($"is port {new Uri(runtimeApi).Port} of an address")));
        Assert.Contains($"Kestrel:Endpoints:other:Url: '{runtimeApi}' is port", refusal, StringComparison.Ordinal);
    }

    /// <remarks>
    /// An endpoint in force on port 0 holds the port it took while an edit keeps it: an endpoint the edit adds there is a
    /// collision, listed with the edit's other problems. Before, the endpoint in force took part in no collision check, and
    /// the edit, mended of its other problems, was taken and Kestrel failed to bind the endpoint added.
    /// </remarks>
    [Fact]
    public async Task AnEditThatKeepsAnEndpointOnPort0_AndAddsOneOnThePortItTook_IsRefused_WithItsOtherProblems()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartWithEndpointAsync(worker, "http://127.0.0.1:0", out var editable);
        var port = new Uri(gateway.Url).Port;

        editable.Put(("Kestrel:Endpoints:other:Url", $"http://127.0.0.1:{port}"), ("Gateway:Functions:echo:MemorySize", "lots"));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("previous settings stay in force"));

        Assert.Contains(gateway.Logs.Lines, line => line.Contains("2 problem(s)", StringComparison.Ordinal)
            && line.Contains($"Kestrel:Endpoints:other:Url: 'http://127.0.0.1:{port}' is port {port} of an address Kestrel:Endpoints:web:Url (in force) listens on too ('http://127.0.0.1:{port}')", StringComparison.Ordinal)
            && line.Contains("Gateway:Functions:echo:MemorySize", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/echo/")).StatusCode);
    }

    /// <remarks>
    /// Kestrel stops an endpoint an edit moves before it binds the endpoints the edit adds: one added on the port an
    /// endpoint on port 0 took, which the edit moves away, is no collision, and the edit is taken.
    /// </remarks>
    [Fact]
    public async Task AnEditThatMovesAnEndpointOnPort0_AndAddsOneOnThePortItTook_IsTaken()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartWithEndpointAsync(worker, "http://127.0.0.1:0", out var editable);
        var url = $"http://127.0.0.1:{new Uri(gateway.Url).Port}";
        using var client = new HttpClient();

        editable.Put(("Kestrel:Endpoints:web:Url", $"http://127.0.0.1:{QuickStartFolder.FreePort()}"), ("Kestrel:Endpoints:other:Url", url), ("Gateway:Functions:echo:MemorySize", "2048"));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));

        await Eventually.HoldsAsync(() => AnswersAsync(client, url));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("Unable to bind", StringComparison.Ordinal));
    }

    /// <remarks>
    /// <c>web</c> takes its protocols from <c>Kestrel:EndpointDefaults</c>: Kestrel rebinds it when the edit changes those,
    /// stopping it before it binds the edit's new endpoints, as when the edit moves it. Before, <c>web</c> was taken as kept
    /// (its own settings are), and the edit refused as a collision with the port <c>web</c> leaves.
    /// </remarks>
    [Fact]
    public async Task AnEditOfTheEndpointDefaultsAnEndpointOnPort0Takes_AndOneAddedOnThePortItTook_IsTaken()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartWithEndpointAsync(worker, "http://127.0.0.1:0", out var editable);
        var url = $"http://127.0.0.1:{new Uri(gateway.Url).Port}";
        using var client = new HttpClient();

        editable.Put(("Kestrel:EndpointDefaults:Protocols", "Http1"), ("Kestrel:Endpoints:other:Url", url), ("Gateway:Functions:echo:MemorySize", "2048"));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force") || gateway.Logs.Contains("previous settings stay in force"));

        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("previous settings stay in force", StringComparison.Ordinal));
        await Eventually.HoldsAsync(() => AnswersAsync(client, url));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("Unable to bind", StringComparison.Ordinal));
    }

    /// <remarks>
    /// <c>web</c> sets its own protocols: an edit of <c>Kestrel:EndpointDefaults</c> leaves it bound, and an endpoint the edit
    /// adds on the port it took is a collision.
    /// </remarks>
    [Fact]
    public async Task AnEditOfTheEndpointDefaultsAnEndpointOnPort0Overrides_AndOneAddedOnThePortItTook_IsRefused()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartWithEndpointAsync(worker, "http://127.0.0.1:0", out var editable, ("Kestrel:Endpoints:web:Protocols", "Http1"));
        var port = new Uri(gateway.Url).Port;

        editable.Put(("Kestrel:EndpointDefaults:Protocols", "Http1"), ("Kestrel:Endpoints:other:Url", $"http://127.0.0.1:{port}"), ("Gateway:Functions:echo:MemorySize", "2048"));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force") || gateway.Logs.Contains("previous settings stay in force"));

        Assert.Contains(gateway.Logs.Lines, line => line.Contains(
            $"Kestrel:Endpoints:other:Url: 'http://127.0.0.1:{port}' is port {port} of an address Kestrel:Endpoints:web:Url (in force)", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/echo/")).StatusCode);
    }

    /// <summary>
    /// Defaults an endpoint takes, written twice as Kestrel reads them the same: in another letter case, the TLS versions in
    /// another order. Each row: the endpoint's scheme, the defaults in force and as the edit writes them.
    /// </summary>
    public static TheoryData<string, string[], string[]> DefaultsRewritten => new()
    {
        { "http", ["Protocols=Http1"], ["Protocols=http1"] },
        { "https", ["SslProtocols:0=Tls12", "SslProtocols:1=Tls13"], ["SslProtocols:0=Tls13", "SslProtocols:1=Tls12"] },
        { "https", ["ClientCertificateMode=AllowCertificate"], ["ClientCertificateMode=allowcertificate"] },
    };

    /// <remarks>
    /// Kestrel compares the defaults an endpoint takes as it parses them, not as written: an edit that writes them otherwise
    /// leaves <c>web</c> bound, and an endpoint the edit adds on the port it took is a collision. Before, the defaults were
    /// compared as text, <c>web</c> taken as rebound, the edit taken, and Kestrel failed to bind the endpoint added.
    /// </remarks>
    [Theory]
    [MemberData(nameof(DefaultsRewritten))]
    public async Task AnEditThatRewritesTheDefaultsAnEndpointOnPort0Takes_AsKestrelReadsThem_AndAddsOneOnThePortItTook_IsRefused(string scheme, string[] before, string[] after)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        using var certificate = await TlsEndpointCertificate.CreateAsync();
        await using var gateway = await StartWithEndpointAsync(
            worker, $"{scheme}://127.0.0.1:0", out var editable, [.. EndpointDefaults(before), .. scheme == "https" ? certificate.ServedBy("web") : []]);
        var port = new Uri(gateway.Url).Port;

        editable.Put([.. EndpointDefaults(after), ("Kestrel:Endpoints:other:Url", $"http://127.0.0.1:{port}"), ("Gateway:Functions:echo:MemorySize", "2048")]);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force") || gateway.Logs.Contains("previous settings stay in force"));

        Assert.Contains(gateway.Logs.Lines, line => line.Contains(
            $"Kestrel:Endpoints:other:Url: 'http://127.0.0.1:{port}' is port {port} of an address Kestrel:Endpoints:web:Url (in force)", StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("Unable to bind", StringComparison.Ordinal));
        Assert.Equal([gateway.Url], ServerAddresses(gateway));
    }

    /// <remarks>
    /// The refusal above, as Kestrel acts: an edit that writes the defaults <c>web</c> takes otherwise, and adds an endpoint
    /// on a port of its own, is taken, and Kestrel binds that endpoint and leaves <c>web</c> bound where it was.
    /// </remarks>
    [Theory]
    [MemberData(nameof(DefaultsRewritten))]
    public async Task AnEditThatRewritesTheDefaultsAnEndpointOnPort0Takes_AsKestrelReadsThem_LeavesItBound(string scheme, string[] before, string[] after)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        using var certificate = await TlsEndpointCertificate.CreateAsync();
        await using var gateway = await StartWithEndpointAsync(
            worker, $"{scheme}://127.0.0.1:0", out var editable, [.. EndpointDefaults(before), .. scheme == "https" ? certificate.ServedBy("web") : []]);
        var added = $"http://127.0.0.1:{QuickStartFolder.FreePort()}";

        editable.Put([.. EndpointDefaults(after), ("Kestrel:Endpoints:other:Url", added)]);
        await Eventually.HoldsAsync(() => ServerAddresses(gateway).Contains(added));

        Assert.Contains(gateway.Url, ServerAddresses(gateway));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("previous settings stay in force", StringComparison.Ordinal));
    }

    /// <remarks>
    /// Kestrel compares an endpoint's name as written: renamed <c>Web</c>, <c>web</c> is another endpoint, stopped before the
    /// edit's new ones bind, and one added on the port it took is no collision. Before, names were matched in any letter
    /// case, <c>web</c> taken as kept, and the edit refused as a collision with the port it leaves.
    /// </remarks>
    [Fact]
    public async Task AnEditThatRenamesAnEndpointOnPort0InAnotherLetterCase_AndAddsOneOnThePortItTook_IsTaken()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartWithEndpointAsync(worker, "http://127.0.0.1:0", out var editable);
        var url = $"http://127.0.0.1:{new Uri(gateway.Url).Port}";
        using var client = new HttpClient();

        editable.Replace(["Kestrel:Endpoints:web"], ("Kestrel:Endpoints:Web:Url", "http://127.0.0.1:0"), ("Kestrel:Endpoints:other:Url", url), ("Gateway:Functions:echo:MemorySize", "2048"));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force") || gateway.Logs.Contains("previous settings stay in force"));

        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("previous settings stay in force", StringComparison.Ordinal));
        await Eventually.HoldsAsync(() => AnswersAsync(client, url));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("Unable to bind", StringComparison.Ordinal));
    }

    /// <summary>
    /// A gateway whose clients' listener is the endpoint <c>web</c> at <paramref name="url"/>, with <paramref name="settings"/>
    /// besides, from a configuration a test edits.
    /// </summary>
    internal static Task<TestGateway> StartWithEndpointAsync(
        TestWorker worker, string url, out EditableConfiguration editable, params (string Key, string Value)[] settings)
    {
        var start = new GatewayConfiguration().WithFunction("echo", worker.Url).Set("Kestrel:Endpoints:web:Url", url);
        foreach (var (key, value) in settings)
        {
            start.Set(key, value);
        }

        var configuration = new EditableConfiguration(start.Values);
        editable = configuration;
        return TestGateway.StartAsync(new Dictionary<string, string?>(), builder => ((IConfigurationBuilder)builder.Configuration).Add(configuration));
    }

    /// <summary>The <c>Kestrel:EndpointDefaults</c> settings of <paramref name="settings"/>, each <c>key=value</c>.</summary>
    private static (string Key, string Value)[] EndpointDefaults(string[] settings) =>
        [.. settings.Select(setting => setting.Split('=')).Select(setting => ($"Kestrel:EndpointDefaults:{setting[0]}", setting[1]))];

    /// <summary>The addresses the gateway's Kestrel listens on now.</summary>
    internal static List<string> ServerAddresses(TestGateway gateway) =>
        [.. gateway.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses];

    /// <summary>Whether the gateway answers 200 at <paramref name="url"/>: false while nothing listens there yet.</summary>
    internal static async Task<bool> AnswersAsync(HttpClient client, string url)
    {
        try
        {
            return (await client.GetAsync($"{url}/echo/")).StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
