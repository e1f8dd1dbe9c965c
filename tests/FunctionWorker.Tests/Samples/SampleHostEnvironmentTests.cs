using FcWorker.Samples;
using FcWorker.Tests.TestHelpers;
using Microsoft.Extensions.Configuration;

namespace FcWorker.Tests.Samples;

[Collection(nameof(ProcessEnvironment))]
public sealed class SampleHostEnvironmentTests
{
    [Fact]
    public async Task StartAllAsync_RuntimeApiInEnvironment_StillListens()
    {
        Environment.SetEnvironmentVariable("FC_RUNTIME_API", "127.0.0.1:1/functions/nobody");
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(SampleFunctions.All.Select(s => KeyValuePair.Create($"Samples:{s.Name}:Port", (string?)"0")))
                .Build();
            await using var samples = await SampleHost.StartAllAsync(configuration);
            using var client = new HttpClient();

            using var response = await client.PostAsync(new Uri(samples.Urls["event-string"], "/invoke"), new StringContent("FC"));

            Assert.Equal("hello, FC!", await FcReply.AssertSuccessAsync(response));
        }
        finally
        {
            Environment.SetEnvironmentVariable("FC_RUNTIME_API", null);
        }
    }
}
