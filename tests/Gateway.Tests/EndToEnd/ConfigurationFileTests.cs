using System.Net;
using System.Text.Json;
using FcGateway;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.EndToEnd;

/// <summary>An appsettings.json that is not valid JSON, at start-up and when saved while the gateway runs, and one saved again unchanged.</summary>
public sealed class ConfigurationFileTests : IDisposable
{
    private const string Malformed = "{\n  \"Gateway\": {\n    \"Region\": \"x\",\n  ,}\n}\n";

    private readonly string _contentRoot = Directory.CreateTempSubdirectory("gateway-").FullName;

    private string SettingsFile => Path.Combine(_contentRoot, "appsettings.json");

    [Fact]
    public async Task MalformedAtStartUp_PrintsOneLineWithFileLineAndColumn_AndExits1()
    {
        await SaveAsync(SettingsFile, Malformed);

        var result = await GatewayCommand.RunAsync("--contentRoot", _contentRoot, "--urls", "http://127.0.0.1:0");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"'{SettingsFile}' is not valid JSON at line 4, column 3:", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoFileInTheContentRoot_AtStartUp_TheProblemsSaySo_AndExit1()
    {
        var result = await GatewayCommand.RunAsync("--contentRoot", _contentRoot, "--urls", "http://127.0.0.1:0");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"There is no appsettings.json in the content root ('{SettingsFile}')", result.Error, StringComparison.Ordinal);
        Assert.Contains("--contentRoot", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoFileInTheContentRoot_RoutesFromTheCommandLine_NothingSaysTheFileIsMissing()
    {
        var result = await GatewayCommand.RunAsync(
            "--contentRoot", _contentRoot, "--urls", "http://127.0.0.1:0",
            "--ReverseProxy:Routes:echo:Match:Path=/echo/{**rest}", "--Gateway:Regoin=x");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Gateway:Regoin: unknown setting", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("no appsettings.json", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMisspeltTopLevelSection_AtStartUp_IsListedWithTheOtherProblems_AndExit1()
    {
        await SaveAsync(SettingsFile, WithSection(ValidSettings("not a url"), "Gatway", new { Region = "y" }));

        var result = await GatewayCommand.RunAsync("--contentRoot", _contentRoot, "--urls", "http://127.0.0.1:0");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Gatway: unknown section in {SettingsFile}; the sections the gateway reads are ReverseProxy, Gateway, Logging, Kestrel, OpenTelemetry, AllowedHosts, Urls.", result.Error, StringComparison.Ordinal);
        Assert.Contains("not a url", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheHostsOwnTopLevelKeys_AndAJsonSchema_AreNotProblems()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        var settings = ValidSettings(worker.Url);
        foreach (var (key, value) in new (string, object)[] { ("$schema", "https://json.schemastore.org/appsettings.json"), ("AllowedHosts", "*"), ("Logging", new { LogLevel = new { Default = "Information" } }), ("detailedErrors", "false") })
        {
            settings = WithSection(settings, key, value);
        }

        await SaveAsync(SettingsFile, settings);
        await using var app = await StartFromTheFileAsync(new CapturedLogs());
        using var client = new HttpClient { BaseAddress = new Uri(LoopbackServer.UrlOf(app)) };

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/echo/")).StatusCode);
        await app.StopAsync();
    }

    /// <summary>The OpenTelemetry SDK reads its OTEL_* keys from any configuration source (docs/observability.md).</summary>
    [Fact]
    public async Task OpenTelemetryKeys_AtTheTopLevel_AreNotProblems()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await SaveAsync(SettingsFile, WithSection(ValidSettings(worker.Url), "OTEL_SERVICE_NAME", "gateway-a"));

        var logs = new CapturedLogs();
        await using var app = await StartFromTheFileAsync(logs);
        using var client = new HttpClient { BaseAddress = new Uri(LoopbackServer.UrlOf(app)) };

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/echo/")).StatusCode);
        Assert.False(logs.Contains("unknown section"));
        await app.StopAsync();
    }

    [Fact]
    public async Task ASaveWithAMisspeltTopLevelSection_IsRejected_AndTheConfigurationInForceStays()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await SaveAsync(SettingsFile, ValidSettings(worker.Url));
        var logs = new CapturedLogs();
        await using var app = await StartFromTheFileAsync(logs);
        using var client = new HttpClient { BaseAddress = new Uri(LoopbackServer.UrlOf(app)) };

        await SaveAsync(SettingsFile, WithSection(ValidSettings(worker.Url, region: "y"), "ReverseProxi", new { Routes = new { } }));

        await Eventually.HoldsAsync(() => logs.Contains("was rejected whole"));
        Assert.True(logs.Contains("ReverseProxi: unknown section in"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/echo/")).StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public async Task MalformedSaveWhileRunning_IsLoggedWithLineAndColumn_AndTheLastGoodConfigurationStays()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await SaveAsync(SettingsFile, ValidSettings(worker.Url));
        var logs = new CapturedLogs();
        await using var app = await StartFromTheFileAsync(logs);
        using var client = new HttpClient { BaseAddress = new Uri(LoopbackServer.UrlOf(app)) };

        await SaveAsync(SettingsFile, Malformed);

        await Eventually.HoldsAsync(() => logs.Contains("is not valid JSON at line 4, column 3"));
        Assert.True(logs.Contains("The last good configuration stays in force"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/echo/")).StatusCode);
        await app.StopAsync();
    }

    /// <summary>
    /// While appsettings.json holds a malformed save, a save of appsettings.{Environment}.json reads the last good content
    /// of appsettings.json beside it: its routes and functions (and Kestrel endpoints) are not taken away, nor the edit
    /// rejected as though the file were empty.
    /// </summary>
    [Fact]
    public async Task ASaveOfTheEnvironmentsFile_WhileAppsettingsIsMalformed_ReadsItsLastGoodContent()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await SaveAsync(SettingsFile, ValidSettings(worker.Url));
        var logs = new CapturedLogs();
        await using var app = await StartFromTheFileAsync(logs);
        using var client = new HttpClient { BaseAddress = new Uri(LoopbackServer.UrlOf(app)) };
        await SaveAsync(SettingsFile, Malformed);
        await Eventually.HoldsAsync(() => logs.Contains("is not valid JSON at line 4, column 3"));

        await SaveAsync(
            Path.Combine(_contentRoot, $"appsettings.{app.Environment.EnvironmentName}.json"), """{ "Gateway": { "Region": "y" } }""");

        await Eventually.HoldsAsync(() => logs.Contains("is now in force") || logs.Contains("was rejected whole"));
        Assert.False(logs.Contains("was rejected whole"));
        Assert.Equal("/echo/{**rest}", app.Configuration["ReverseProxy:Routes:echo:Match:Path"]);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/echo/")).StatusCode);
        await app.StopAsync();
    }

    /// <summary>
    /// A malformed save leaves the file's keys in place at every instant, not only once its failure has been handled: a
    /// reload of another file in that instant (both saved by one git checkout) reads the configuration with them. Read as
    /// the failure is reported, the file's route is there.
    /// </summary>
    [Fact]
    public async Task AMalformedSave_LeavesTheFilesKeysInPlace_EvenAsItsFailureIsReported()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await SaveAsync(SettingsFile, ValidSettings(worker.Url));
        var logs = new CapturedLogs();
        await using var app = await StartFromTheFileAsync(logs);
        var file = ((IConfigurationRoot)app.Configuration).Providers.OfType<FileConfigurationProvider>().Single(provider => provider.Source.Path == "appsettings.json");
        var reportFailure = file.Source.OnLoadException!;
        var readAsItWasReported = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        file.Source.OnLoadException = context =>
        {
            readAsItWasReported.TrySetResult(app.Configuration["ReverseProxy:Routes:echo:Match:Path"]);
            reportFailure(context);
        };

        await SaveAsync(SettingsFile, Malformed);

        Assert.Equal("/echo/{**rest}", await readAsItWasReported.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        await Eventually.HoldsAsync(() => logs.Contains("is not valid JSON at line 4, column 3"));
        await app.StopAsync();
    }

    [Fact]
    public async Task ASaveThatChangesNothingInForce_IsNotAppliedOrLoggedAgain()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await SaveAsync(SettingsFile, ValidSettings(worker.Url));
        var logs = new CapturedLogs();
        await using var app = await StartFromTheFileAsync(logs, debugCategory: "FcGateway.Configuration.GatewayProxyConfigProvider");

        await SaveAsync(SettingsFile, ValidSettings(worker.Url, region: "y"));
        await Eventually.HoldsAsync(() => logs.Contains("is now in force"));
        await SaveAsync(SettingsFile, ValidSettings(worker.Url, region: "y"));
        await Eventually.HoldsAsync(() => logs.Contains("equal those in force"));

        Assert.Single(logs.Lines, line => line.Contains("is now in force", StringComparison.Ordinal));
        await app.StopAsync();
    }

    /// <remarks>A file watcher may signal one save twice: one malformed save is logged once at Error.</remarks>
    [Fact]
    public async Task AMalformedSaveReadAgain_IsNotLoggedAgain_UntilAReloadIsTaken()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await SaveAsync(SettingsFile, ValidSettings(worker.Url));
        var logs = new CapturedLogs();
        await using var app = await StartFromTheFileAsync(logs, debugCategory: typeof(GatewayHost).FullName);

        await SaveAsync(SettingsFile, Malformed);
        await Eventually.HoldsAsync(() => logs.Contains("stays in force until the file is fixed"));
        await SaveAsync(SettingsFile, Malformed);
        await Eventually.HoldsAsync(() => logs.Contains("read again with the problem last logged"));
        Assert.Single(logs.Lines, line => line.Contains("until the file is fixed", StringComparison.Ordinal));

        await SaveAsync(SettingsFile, ValidSettings(worker.Url, region: "y"));
        await Eventually.HoldsAsync(() => logs.Contains("is now in force"));
        await SaveAsync(SettingsFile, Malformed);
        await Eventually.HoldsAsync(() => logs.Lines.Count(line => line.Contains("until the file is fixed", StringComparison.Ordinal)) == 2);
        await app.StopAsync();
    }

    /// <remarks>A file watcher may signal one save twice: the problems of one rejected edit are logged once.</remarks>
    [Fact]
    public async Task ASaveThatRepeatsTheEditLastRejected_IsNotLoggedAgain_UntilAnEditIsPutInForce()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await SaveAsync(SettingsFile, ValidSettings(worker.Url));
        var logs = new CapturedLogs();
        await using var app = await StartFromTheFileAsync(logs, debugCategory: "FcGateway.Configuration.GatewayProxyConfigProvider");

        await SaveAsync(SettingsFile, ValidSettings("not a url"));
        await Eventually.HoldsAsync(() => logs.Contains("was rejected whole"));
        await SaveAsync(SettingsFile, ValidSettings("not a url"));
        await Eventually.HoldsAsync(() => logs.Contains("it is rejected again"));
        Assert.Single(logs.Lines, line => line.Contains("was rejected whole", StringComparison.Ordinal));

        await SaveAsync(SettingsFile, ValidSettings(worker.Url, region: "y"));
        await Eventually.HoldsAsync(() => logs.Contains("is now in force"));
        await SaveAsync(SettingsFile, ValidSettings("not a url"));
        await Eventually.HoldsAsync(() => logs.Lines.Count(line => line.Contains("was rejected whole", StringComparison.Ordinal)) == 2);
        await app.StopAsync();
    }

    public void Dispose() => Directory.Delete(_contentRoot, recursive: true);

    /// <summary>A gateway started from the settings file, its log lines in <paramref name="logs"/> (a category's at Debug too, if named).</summary>
    private async Task<WebApplication> StartFromTheFileAsync(CapturedLogs logs, string? debugCategory = null)
    {
        var app = await GatewayHost.BuildAsync(["--contentRoot", _contentRoot, "--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
            if (debugCategory is not null)
            {
                builder.Logging.AddFilter(debugCategory, LogLevel.Debug);
            }
        });
        await app.StartAsync();
        return app;
    }

    /// <summary>
    /// Saves <paramref name="content"/> as an editor that replaces the file does: written beside it, then moved over it.
    /// A write in place is seen truncated by a reload that runs in between, and logs a problem of its own.
    /// </summary>
    private static async Task SaveAsync(string file, string content)
    {
        var written = file + ".saving";
        await File.WriteAllTextAsync(written, content);
        File.Move(written, file, overwrite: true);
    }

    /// <summary><paramref name="json"/>, an object, with a top-level <paramref name="key"/> added.</summary>
    private static string WithSection(string json, string key, object value)
    {
        var settings = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        settings[key] = JsonSerializer.SerializeToNode(value);
        return settings.ToJsonString();
    }

    private static string ValidSettings(string workerUrl, string region = "x") => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["Gateway"] = new { Region = region },
        ["ReverseProxy"] = new
        {
            Routes = new { echo = new { ClusterId = "echo", Match = new { Path = "/echo/{**rest}" }, Metadata = new { FunctionName = "echo" } } },
            Clusters = new { echo = new { Destinations = new { one = new { Address = workerUrl } } } },
        },
    });
}
