using System.Text.Json;
using FcWorker.Samples;
using FcWorker.Tests.TestHelpers;

namespace FcWorker.Tests.Samples;

/// <summary>The samples as FC's built-in runtimes run them: one sample per process, pulling from <c>FC_RUNTIME_API</c>.</summary>
public sealed class SamplePullModeTests
{
    [Theory]
    [InlineData("event-struct", """{"key":"value"}""", "hello, value!")]
    [InlineData("event-string", "FC", "hello, FC!")]
    [InlineData("event-map", """{"n":1,"key":"value"}""", "hello, key=value, n=1!")]
    [InlineData("slow", """{"delayMs":1}""", "done")]
    public async Task Sample_Pulled_PostsDocumentedOutput(string sample, string @event, string expected)
    {
        await using var api = await FakeRuntimeApi.StartAsync($"/functions/{sample}");
        api.Enqueue("req-sample", @event);
        await using var worker = await StartAsync(api, sample);

        var outcome = await api.NextOutcomeAsync();

        Assert.Equal(("response", expected), (outcome.Outcome, outcome.Text));
    }

    [Fact]
    public async Task AlwaysFails_Pulled_PostsErrorBody()
    {
        await using var api = await FakeRuntimeApi.StartAsync("/functions/always-fails");
        api.Enqueue("req-sample", "{}");
        await using var worker = await StartAsync(api, "always-fails");

        var outcome = await api.NextOutcomeAsync();

        Assert.Equal("error", outcome.Outcome);
        Assert.Equal("something went wrong!", JsonDocument.Parse(outcome.Body).RootElement.GetProperty("errorMessage").GetString());
    }

    private static async Task<FunctionWorkerHost> StartAsync(FakeRuntimeApi api, string sample)
    {
        var worker = FunctionWorker.Create([$"--FC_RUNTIME_API={api.Address}"], SampleFunctions.Find(sample)!.Handler);
        await worker.StartAsync();
        return worker;
    }
}
