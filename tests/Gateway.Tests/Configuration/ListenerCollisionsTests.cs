using FcGateway.Configuration;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Configuration;

/// <summary>Two of the gateway's own listeners on one port: a configuration problem, not a failed bind at start-up.</summary>
public sealed class ListenerCollisionsTests
{
    private const string PulledFunction = "Gateway:Functions:echo:RuntimeApi";

    [Theory]
    [InlineData("Urls", "http://127.0.0.1:8080;http://127.0.0.1:8080", "Urls: 'http://127.0.0.1:8080' is port 8080 of an address Urls listens on too")]
    [InlineData("Urls", "http://0.0.0.0:8080;https://127.0.0.1:8080", "Urls: 'https://127.0.0.1:8080'")]
    [InlineData("Urls", "http://localhost:8080;http://[::1]:8080", "Urls: 'http://[::1]:8080'")]
    [InlineData("Gateway:RuntimeApi:Urls", "http://127.0.0.1:8080", "Gateway:RuntimeApi:Urls: 'http://127.0.0.1:8080' is port 8080 of an address Urls listens on too ('http://127.0.0.1:8080')")]
    [InlineData("Gateway:RuntimeApi:Urls", "http://*:8080", "Gateway:RuntimeApi:Urls: 'http://*:8080'")]
    [InlineData("Gateway:Functions:echo:RuntimeApiUrl", "http://127.0.0.1:8080", "Gateway:Functions:echo:RuntimeApiUrl: 'http://127.0.0.1:8080'")]
    [InlineData("Urls", "http://[::]:8080;http://127.0.0.1:8080", "Urls: 'http://127.0.0.1:8080'")]
    public void TwoListenersOnOnePort_AreAProblemNamingTheSecondAndTheFirst(string key, string value, string problem)
    {
        var found = Find(("Urls", "http://127.0.0.1:8080"), (PulledFunction, "fc"), (key, value));

        Assert.StartsWith(problem, Assert.Single(found), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", "http://0.0.0.0:8080")]
    [InlineData("http://127.0.0.1:8080", "http://[::]:8080")]
    [InlineData("http://[::1]:8080", "http://[::]:8080")]
    [InlineData("http://localhost:8080", "http://0.0.0.0:8080")]
    public void AFunctionsRuntimeApiUrlOnEveryInterface_CollidesWithAnyAddressOfItsFamilies(string urls, string runtimeApiUrl)
    {
        var found = Find(("Urls", urls), (PulledFunction, "fc"), ("Gateway:Functions:echo:RuntimeApiUrl", runtimeApiUrl));

        Assert.StartsWith("Gateway:Functions:echo:RuntimeApiUrl: ", Assert.Single(found), StringComparison.Ordinal);
    }

    [Fact]
    public void AFunctionsRuntimeApiUrlOnIPv4sEveryInterface_LeavesIPv6LoopbackFree()
    {
        Assert.Empty(Find(("Urls", "http://[::1]:8080"), (PulledFunction, "fc"), ("Gateway:Functions:echo:RuntimeApiUrl", "http://0.0.0.0:8080")));
    }

    [Fact]
    public void KestrelEndpoints_ReplaceUrls_AndCollideWithEachOther()
    {
        var found = Find(
            ("Urls", "http://127.0.0.1:9500"), (PulledFunction, "fc"),
            ("Kestrel:Endpoints:plain:Url", "http://127.0.0.1:8080"), ("Kestrel:Endpoints:tls:Url", "https://127.0.0.1:8080"));

        Assert.StartsWith("Kestrel:Endpoints:tls:Url: 'https://127.0.0.1:8080' is port 8080 of an address Kestrel:Endpoints:plain:Url", Assert.Single(found), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Urls", "http://127.0.0.1:8080;http://127.0.0.2:8080")]
    [InlineData("Urls", "http://0.0.0.0:8080;http://[::1]:8080")]
    [InlineData("Urls", "http://127.0.0.1:0;http://127.0.0.1:0")]
    [InlineData("Urls", "http://127.0.0.1:8080;http://127.0.0.1:8081")]
    [InlineData("Gateway:RuntimeApi:Urls", "http://127.0.0.1:9500")]
    public void ListenersOnDistinctPortsOrAddresses_OrAnyFreePort_AreNoProblem(string key, string value)
    {
        Assert.Empty(Find((PulledFunction, "fc"), (key, value)));
    }

    [Theory]
    [InlineData("Gateway:RuntimeApi:Urls", "http://127.0.0.1:5000", "Gateway:RuntimeApi:Urls: 'http://127.0.0.1:5000' is port 5000 of an address Urls (unset: Kestrel's default)")]
    [InlineData("http_ports", "9500", "Gateway:RuntimeApi:Urls: 'http://127.0.0.1:9500' is port 9500 of an address HTTP_PORTS listens on too ('http://*:9500')")]
    [InlineData("https_ports", "9500", "Gateway:RuntimeApi:Urls: 'http://127.0.0.1:9500' is port 9500 of an address HTTPS_PORTS")]
    public void WithoutUrls_TheClientsListenWhereKestrelChooses(string key, string value, string problem)
    {
        var found = Find((PulledFunction, "fc"), (key, value));

        Assert.StartsWith(problem, Assert.Single(found), StringComparison.Ordinal);
    }

    [Fact]
    public void TheRuntimeApisDefaultAddress_IsNoProblem_WhenNothingStartsItsListener()
    {
        Assert.Empty(Find(("Urls", "http://127.0.0.1:9500")));
    }

    /// <remarks>
    /// The endpoint <c>web</c>, on port 0, took port 8080; the edit keeps its own settings and adds <c>other</c> on 8080.
    /// Kestrel rebinds <c>web</c> when the edit changes a setting it takes from the section's defaults, stopping it before it
    /// binds <c>other</c>: no collision. When the edit changes a default <c>web</c> sets itself, or does not use, or changes
    /// only how the setting is written (Kestrel compares defaults as parsed), Kestrel leaves <c>web</c> bound: a collision.
    /// </remarks>
    [Theory]
    [InlineData("http", "", "EndpointDefaults:Protocols", "Http1", "Http2", false)]
    [InlineData("http", "Protocols", "EndpointDefaults:Protocols", "Http1", "Http2", true)]
    [InlineData("http", "", "EndpointDefaults:Protocols", "Http1", "http1", true)]
    [InlineData("http", "", "EndpointDefaults:Protocols", "Http1, Http2", "Http1AndHttp2", true)]
    [InlineData("http", "", "EndpointDefaults:Protocols", null, "Http1AndHttp2", true)]
    [InlineData("http", "", "EndpointDefaults:SslProtocols:0", "Tls12", "Tls13", true)]
    [InlineData("http", "", "Certificates:Default:Path", "a.pfx", "b.pfx", true)]
    [InlineData("https", "", "EndpointDefaults:SslProtocols:0", "Tls12", "Tls13", false)]
    [InlineData("https", "", "EndpointDefaults:SslProtocols:0", "Tls12", "tls12", true)]
    [InlineData("https", "", "EndpointDefaults:SslProtocols:0", null, "None", true)]
    [InlineData("https", "", "EndpointDefaults:ClientCertificateMode", "AllowCertificate", "RequireCertificate", false)]
    [InlineData("https", "", "EndpointDefaults:ClientCertificateMode", "AllowCertificate", "allowcertificate", true)]
    [InlineData("https", "", "EndpointDefaults:ClientCertificateMode", null, "NoCertificate", true)]
    [InlineData("https", "", "Certificates:Default:Path", "a.pfx", "b.pfx", false)]
    [InlineData("https", "", "Certificates:Default:Path", "a.pfx", "A.pfx", false)]
    [InlineData("https", "", "Certificates:Default:AllowInvalid", "true", "True", true)]
    [InlineData("https", "Certificate:Path", "Certificates:Default:Path", "a.pfx", "b.pfx", true)]
    [InlineData("https", "Certificate:Password", "Certificates:Default:Path", "a.pfx", "b.pfx", false)]
    public void AnEndpointOnPort0_IsKeptByAnEdit_UnlessItChangesTheDefaultsTheEndpointTakes(
        string scheme, string ownSetting, string editedDefault, string? before, string after, bool collides)
    {
        var inForce = new Dictionary<string, string?> { ["Kestrel:Endpoints:web:Url"] = $"{scheme}://127.0.0.1:0", ["Kestrel:Certificates:Default:Path"] = "a.pfx" };
        inForce[$"Kestrel:{editedDefault}"] = before;
        if (ownSetting.Length > 0)
        {
            inForce[$"Kestrel:Endpoints:web:{ownSetting}"] = "Http1";
        }

        var edit = new Dictionary<string, string?>(inForce) { [$"Kestrel:{editedDefault}"] = after, ["Kestrel:Endpoints:other:Url"] = "http://127.0.0.1:8080" };

        Assert.Equal(collides, CollidesWithWebInForce(inForce, edit, scheme));
    }

    /// <remarks>
    /// Without <c>Certificates:Default</c>, Kestrel serves the developer certificate file <c>Certificates:Development</c>
    /// opens (with its <c>Password</c>, and no <c>Path</c>): an edit that has it open that file, where none opened before, changes
    /// the certificate <c>web</c> takes, and Kestrel rebinds <c>web</c>; one the file does not open with leaves it as it was.
    /// Before, <c>Certificates:Development</c> was not compared, and <c>web</c> taken as kept.
    /// </remarks>
    [Theory]
    [InlineData("Password", DeveloperCertificateFile.Password, false)]
    [InlineData("Password", "not-its-password", true)]
    [InlineData("Path", "dev.pfx", true)]
    public async Task AnHttpsEndpointOnPort0_IsRebound_WhenAnEditHasKestrelServeTheDeveloperCertificate(string key, string value, bool collides)
    {
        using var developer = await DeveloperCertificateFile.CreateAsync();
        var inForce = new Dictionary<string, string?> { ["Kestrel:Endpoints:web:Url"] = "https://127.0.0.1:0" };
        var edit = new Dictionary<string, string?>(inForce)
        {
            ["Kestrel:Certificates:Development:Password"] = DeveloperCertificateFile.Password,
            [$"Kestrel:Certificates:Development:{key}"] = value,
            ["Kestrel:Endpoints:other:Url"] = "http://127.0.0.1:8080",
        };

        Assert.Equal(collides, CollidesWithWebInForce(inForce, edit, "https", new KestrelDevelopmentCertificate(developer.ApplicationName)));
    }

    /// <remarks>
    /// Kestrel compares an endpoint's own section as text, by name and key in the letter case written: an edit that writes
    /// <c>web</c>'s name or one of its keys in another case has Kestrel rebind it, and one that writes a value in another
    /// case too.
    /// </remarks>
    [Theory]
    [InlineData("web", "Url", "Http1", true)]
    [InlineData("Web", "Url", "Http1", false)]
    [InlineData("web", "url", "Http1", false)]
    [InlineData("web", "Url", "http1", false)]
    public void AnEndpointOnPort0_IsKeptByAnEdit_OnlyAsItsOwnSettingsAreWritten(string editedName, string editedUrlKey, string editedProtocols, bool collides)
    {
        var inForce = new Dictionary<string, string?> { ["Kestrel:Endpoints:web:Url"] = "http://127.0.0.1:0", ["Kestrel:Endpoints:web:Protocols"] = "Http1" };
        var edit = new Dictionary<string, string?>
        {
            [$"Kestrel:Endpoints:{editedName}:{editedUrlKey}"] = "http://127.0.0.1:0",
            [$"Kestrel:Endpoints:{editedName}:Protocols"] = editedProtocols,
            ["Kestrel:Endpoints:other:Url"] = "http://127.0.0.1:8080",
        };

        Assert.Equal(collides, CollidesWithWebInForce(inForce, edit, "http"));
    }

    /// <summary>Whether <paramref name="edit"/> of <paramref name="inForce"/>, whose endpoint <c>web</c> took port 8080, keeps <c>web</c> there, where the edit's <c>other</c> listens.</summary>
    private static bool CollidesWithWebInForce(
        Dictionary<string, string?> inForce, Dictionary<string, string?> edit, string scheme, KestrelDevelopmentCertificate? development = null)
    {
        var editConfiguration = new ConfigurationBuilder().AddInMemoryCollection(edit).Build();
        var settings = GatewaySettingsReader.Read(editConfiguration.GetSection(GatewaySettingsReader.SectionName), out _);
        var bound = new BoundListeners(
            null, [], settings, [], new ConfigurationBuilder().AddInMemoryCollection(inForce).Build().GetSection("Kestrel"), [$"{scheme}://127.0.0.1:8080"],
            development ?? new KestrelDevelopmentCertificate($"no-such-application-{Guid.NewGuid():N}"));

        var found = ListenerCollisions.FindInEdit(editConfiguration, settings, bound).ToList();

        return found.Exists(problem => problem.StartsWith("Kestrel:Endpoints:other:Url: 'http://127.0.0.1:8080' is port 8080 of an address Kestrel:Endpoints:web:Url (in force)", StringComparison.Ordinal));
    }

    private static List<string> Find(params (string Key, string Value)[] values)
    {
        // A later value of a key replaces an earlier one, as a later configuration source's does.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.GroupBy(pair => pair.Key).Select(pair => KeyValuePair.Create(pair.Key, (string?)pair.Last().Value)))
            .Build();
        var settings = GatewaySettingsReader.Read(configuration.GetSection(GatewaySettingsReader.SectionName), out _);
        return [.. ListenerCollisions.Find(configuration, settings)];
    }
}
