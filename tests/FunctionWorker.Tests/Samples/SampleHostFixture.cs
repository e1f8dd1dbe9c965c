using FcWorker.Samples;
using Microsoft.Extensions.Configuration;

namespace FcWorker.Tests.Samples;

/// <summary>All samples in this process, each on a free port (<c>Samples:{name}:Port = 0</c>).</summary>
public sealed class SampleHostFixture : IAsyncLifetime
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(30) };

    public SampleHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(SampleFunctions.All.Select(s => KeyValuePair.Create($"Samples:{s.Name}:Port", (string?)"0")))
            .Build();
        Host = await SampleHost.StartAllAsync(configuration);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    public async Task<HttpResponseMessage> InvokeAsync(string sample, string body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Host.Urls[sample], "/invoke")) { Content = new StringContent(body) };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return await Client.SendAsync(request);
    }
}
