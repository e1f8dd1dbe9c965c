using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using FcWorker.Samples;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// Runs every <c>$ curl</c> line of README.md's console blocks against the real samples behind the gateway,
/// configured by the repository's appsettings.json, and checks the status, every header shown and the body
/// shown, so the README cannot drift from what comes back.
/// </summary>
public sealed class ReadmeExampleTests : IAsyncLifetime
{
    private SampleHost _samples = null!;
    private TestGateway _gateway = null!;

    public static TheoryData<string> Commands => [.. ReadmeExample.All.Select(example => example.Command)];

    public async Task InitializeAsync()
    {
        var freePorts = SampleFunctions.All.ToDictionary(s => $"Samples:{s.Name}:Port", _ => (string?)"0");
        _samples = await SampleHost.StartAllAsync(new ConfigurationBuilder().AddInMemoryCollection(freePorts).Build());

        // The quick start's own configuration, with the samples' real ports and the gateway on a free one.
        var quickStart = new ConfigurationBuilder().AddJsonFile(RepositoryRoot.File("appsettings.json")).Build();
        var values = quickStart.AsEnumerable().Where(pair => pair.Value is not null && pair.Key != "Urls").ToDictionary(pair => pair.Key, pair => pair.Value);
        foreach (var (name, url) in _samples.Urls)
        {
            values[$"ReverseProxy:Clusters:{name}:Destinations:instance1:Address"] = url.ToString();
        }

        _gateway = await TestGateway.StartAsync(values);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _samples.DisposeAsync();
    }

    [Fact]
    public void Readme_HasTheQuickStartExamples()
    {
        Assert.True(ReadmeExample.All.Count >= 9, $"found {ReadmeExample.All.Count} examples");
    }

    [Fact]
    public async Task QuickStartConfiguration_OneSuccessfulRequest_LogsOneLineAtInformation()
    {
        var before = _gateway.Logs.Lines.Count;

        using var response = await _gateway.Client.PostAsync("/http-echo", new StringContent("Hello FC!"));

        var requestId = response.Headers.GetValues("X-Fc-Request-Id").Single();
        await Eventually.HoldsAsync(() => _gateway.Logs.Lines.Any(line => line.Contains("requestId=" + requestId, StringComparison.Ordinal)));
        Assert.Single(_gateway.Logs.Lines.Skip(before), line => !line.StartsWith("Debug ", StringComparison.Ordinal) && !line.StartsWith("Trace ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Yarp.ReverseProxy.Health.ActiveHealthCheckMonitor", LogLevel.Warning, false)]
    [InlineData("Yarp.ReverseProxy.Health.ActiveHealthCheckMonitor", LogLevel.Error, true)]
    [InlineData("FcGateway.Diagnostics.InvocationTelemetry", LogLevel.Information, true)]
    public void QuickStartConfiguration_LogLevels(string category, LogLevel level, bool enabled)
    {
        // A failed active health probe is a Warning with the exception's stack trace, every probe interval; a worker going
        // down is what an operator needs, and the WorkerAnswers policy logs it once, with the cause. The gateway's own
        // filters join appsettings.json's levels, so the quick start's gateway is asked rather than the file.
        var logger = _gateway.Services.GetRequiredService<ILoggerFactory>().CreateLogger(category);

        Assert.Equal(enabled, logger.IsEnabled(level));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Example_ReturnsWhatTheReadmeShows(string command)
    {
        var example = ReadmeExample.All.Single(e => e.Command == command);
        using var request = new HttpRequestMessage(example.Data is null ? HttpMethod.Get : HttpMethod.Post, _gateway.Url.TrimEnd('/') + example.PathAndQuery);

        // What curl sends.
        request.Headers.TryAddWithoutValidation("User-Agent", "curl/7.88.1");
        request.Headers.TryAddWithoutValidation("Accept", "*/*");
        if (example.Data is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(example.Data));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        }

        // Exactly what curl sends: no traceparent, which HttpClient adds while any test in this process listens to activities.
        using var curl = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator() });
        using var response = await curl.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        if (example.Status is { } status)
        {
            Assert.Equal(status, (int)response.StatusCode);
        }

        Assert.Matches("^" + Regex.Escape(example.Body).Replace(@"\.\.\.", ".*?", StringComparison.Ordinal) + "$", body);

        foreach (var (name, shown) in example.Headers)
        {
            var actual = HeaderValue(response, name);
            switch (name.ToUpperInvariant())
            {
                case "X-FC-REQUEST-ID":
                    Assert.Matches("^1-[0-9a-f]{8}-[0-9a-f]{24}$", shown);
                    Assert.Matches("^1-[0-9a-f]{8}-[0-9a-f]{24}$", actual);
                    break;
                case "DATE":
                    Assert.True(DateTimeOffset.TryParse(shown, out _), shown);
                    Assert.NotNull(response.Headers.Date);
                    break;
                case "CONTENT-LENGTH":
                    Assert.Equal(Encoding.UTF8.GetByteCount(body).ToString(System.Globalization.CultureInfo.InvariantCulture), actual);
                    Assert.Equal(actual, shown);
                    break;
                default:
                    Assert.Equal(shown, actual);
                    break;
            }
        }
    }

    private static string? HeaderValue(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;
}
