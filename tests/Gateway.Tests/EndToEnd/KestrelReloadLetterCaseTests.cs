using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// An edit that changes only the letter case of keys under <c>Kestrel</c> reaches Kestrel, which compares an endpoint's
/// name and its own keys as written, and everything else as it parses it.
/// </summary>
public sealed class KestrelReloadLetterCaseTests
{
    /// <remarks>
    /// Kestrel stops an endpoint whose name or own keys an edit writes in another letter case, and binds it again, as it
    /// does reading the file itself. Before, the section Kestrel reads was copied with keys in any letter case: such an edit
    /// changed nothing there, and reached Kestrel only with the next edit that changed a value.
    /// </remarks>
    [Theory]
    [InlineData("Kestrel:Endpoints:Web:Url")]
    [InlineData("Kestrel:Endpoints:web:url")]
    public async Task AnEditThatOnlyRewritesAnEndpointsKeysInAnotherLetterCase_HasKestrelRebindIt(string key)
    {
        var url = $"http://127.0.0.1:{QuickStartFolder.FreePort()}";
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await KestrelReloadTests.StartWithEndpointAsync(worker, url, out var editable);
        using var client = new HttpClient();

        editable.Replace(["Kestrel:Endpoints:web"], (key, url));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains($"Config changed. Starting the following endpoints: '{url}'"));

        Assert.Contains(gateway.Logs.Lines, line => line.Contains($"Config changed. Stopping the following endpoints: '{url}'", StringComparison.Ordinal));
        await Eventually.HoldsAsync(() => KestrelReloadTests.AnswersAsync(client, url));
    }

    /// <remarks>
    /// Kestrel reads the section's own names (<c>Kestrel</c>, <c>Endpoints</c>, <c>EndpointDefaults</c>) and the defaults'
    /// keys in any letter case: an edit that rewrites those, and adds an endpoint, leaves <c>web</c> bound where it was.
    /// </remarks>
    [Theory]
    [InlineData("kestrel:endpoints:web:Url", "Kestrel:EndpointDefaults:Protocols")]
    [InlineData("Kestrel:Endpoints:web:Url", "KESTREL:endpointDefaults:protocols")]
    public async Task AnEditThatRewritesTheSectionsNamesInAnotherLetterCase_LeavesAnEndpointBound(string url, string protocols)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await KestrelReloadTests.StartWithEndpointAsync(
            worker, "http://127.0.0.1:0", out var editable, ("Kestrel:EndpointDefaults:Protocols", "Http1"));
        var added = $"http://127.0.0.1:{QuickStartFolder.FreePort()}";

        editable.Replace(["Kestrel"], (url, "http://127.0.0.1:0"), (protocols, "Http1"), ("Kestrel:Endpoints:other:Url", added));
        await Eventually.HoldsAsync(() => KestrelReloadTests.ServerAddresses(gateway).Contains(added));

        Assert.Contains(gateway.Url, KestrelReloadTests.ServerAddresses(gateway));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("Config changed. Stopping", StringComparison.Ordinal));
    }
}
