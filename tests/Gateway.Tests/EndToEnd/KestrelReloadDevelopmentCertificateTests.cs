using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// An <c>https</c> endpoint without a certificate of its own serves Kestrel's default one: <c>Kestrel:Certificates:Default</c>,
/// else, when that is absent, the developer certificate file <c>Kestrel:Certificates:Development</c> opens. Kestrel compares
/// the settings of the one it serves at each reload.
/// </summary>
public sealed class KestrelReloadDevelopmentCertificateTests
{
    /// <remarks>
    /// Kestrel serves the developer certificate: its reload fails on an edit that changes <c>Certificates:Development</c>
    /// ("Unable to reload configuration": it stops watching the certificate's file, and this one has no path;
    /// dotnet/aspnetcore#64307), binding none of the edit's endpoints. The edit is refused, naming the section. Before, it was
    /// taken, and Kestrel's reload failed.
    /// </remarks>
    [Fact]
    public async Task AnEditOfTheDevelopmentCertificateKestrelServes_IsRefused()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        using var developer = await DeveloperCertificateFile.CreateAsync();
        await using var gateway = await StartAsync(worker, developer, out var editable);
        var added = $"http://127.0.0.1:{QuickStartFolder.FreePort()}";

        editable.Put(("Kestrel:Certificates:Development:AllowInvalid", "true"), ("Kestrel:Endpoints:other:Url", added), ("Gateway:Functions:echo:MemorySize", "2048"));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force") || gateway.Logs.Contains("previous settings stay in force"));

        Assert.Contains(gateway.Logs.Lines, line => line.Contains("previous settings stay in force", StringComparison.Ordinal)
            && line.Contains("Kestrel:Certificates:Development: the edit changes the default certificate Kestrel serves", StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("Microsoft.AspNetCore.Server.Kestrel: Unable to reload configuration", StringComparison.Ordinal));
        Assert.Equal([gateway.Url], KestrelReloadTests.ServerAddresses(gateway));
    }

    /// <remarks>
    /// With <c>Certificates:Default</c> set, Kestrel serves it and does not look for the developer certificate: an edit of
    /// <c>Certificates:Development</c> leaves <c>web</c> bound, and an endpoint the edit adds on the port it took is a collision.
    /// </remarks>
    [Fact]
    public async Task AnEditOfTheDevelopmentCertificate_WhileTheDefaultOneIsServed_KeepsAnEndpointOnPort0_AndOneAddedOnThePortItTook_IsRefused()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        using var developer = await DeveloperCertificateFile.CreateAsync();
        using var certificate = await TlsEndpointCertificate.CreateAsync();
        await using var gateway = await StartAsync(
            worker, developer, out var editable, [.. certificate.ServedBy("web").Select(setting => (setting.Key.Replace("Endpoints:web:Certificate", "Certificates:Default", StringComparison.Ordinal), setting.Value))]);
        var port = new Uri(gateway.Url).Port;

        editable.Put(("Kestrel:Certificates:Development:AllowInvalid", "true"), ("Kestrel:Endpoints:other:Url", $"http://127.0.0.1:{port}"), ("Gateway:Functions:echo:MemorySize", "2048"));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force") || gateway.Logs.Contains("previous settings stay in force"));

        Assert.Contains(gateway.Logs.Lines, line => line.Contains(
            $"Kestrel:Endpoints:other:Url: 'http://127.0.0.1:{port}' is port {port} of an address Kestrel:Endpoints:web:Url (in force)", StringComparison.Ordinal));
        Assert.Equal([gateway.Url], KestrelReloadTests.ServerAddresses(gateway));
    }

    /// <summary>
    /// A gateway whose clients' listener is the endpoint <c>web</c> at <c>https://127.0.0.1:0</c> without a certificate of its own,
    /// <c>Kestrel:Certificates:Development:Password</c> opening <paramref name="developer"/>, and <paramref name="settings"/> besides.
    /// </summary>
    private static Task<TestGateway> StartAsync(
        TestWorker worker, DeveloperCertificateFile developer, out EditableConfiguration editable, params (string Key, string Value)[] settings)
    {
        var start = new GatewayConfiguration().WithFunction("echo", worker.Url)
            .Set("Kestrel:Endpoints:web:Url", "https://127.0.0.1:0").Set("Kestrel:Certificates:Development:Password", DeveloperCertificateFile.Password);
        foreach (var (key, value) in settings)
        {
            start.Set(key, value);
        }

        var configuration = new EditableConfiguration(start.Values);
        editable = configuration;
        return TestGateway.StartAsync(new Dictionary<string, string?>(), builder =>
        {
            developer.FoundBy(builder);
            ((IConfigurationBuilder)builder.Configuration).Add(configuration);
        });
    }
}
