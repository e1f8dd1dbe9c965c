using System.Text;
using System.Text.Json;
using FcWorker.Samples;
using FcWorker.Tests.TestHelpers;
using Microsoft.Extensions.Configuration;

namespace FcWorker.Tests.Samples;

public sealed class SampleFunctionsTests(SampleHostFixture samples) : IClassFixture<SampleHostFixture>
{
    [Fact]
    public void All_ListsEverySampleOnItsDocumentedPort() =>
        Assert.Equal(
            [("event-struct", 9001), ("event-string", 9002), ("event-map", 9003), ("http-echo", 9004), ("raw-event", 9005), ("always-fails", 9006), ("slow", 9007)],
            SampleFunctions.All.Select(s => (s.Name, s.Port)));

    [Fact]
    public async Task StartAllAsync_InvalidPort_ThrowsInvalidOperationException()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("Samples:event-map:Port", (string?)"x")]).Build();

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => SampleHost.StartAllAsync(configuration));

        Assert.Contains("Samples:event-map:Port", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("event-struct", """{"key":"value"}""", "hello, value!")]
    [InlineData("event-string", "FC", "hello, FC!")]
    [InlineData("event-map", """{"n":1,"key":"value"}""", "hello, key=value, n=1!")]
    [InlineData("slow", """{"delayMs":1}""", "done")]
    public async Task Invoke_Sample_ReturnsDocumentedOutput(string sample, string @event, string expected)
    {
        using var response = await samples.InvokeAsync(sample, @event);

        Assert.Equal(expected, await FcReply.AssertSuccessAsync(response));
    }

    [Fact]
    public async Task HttpEcho_EventNotFromHttpTrigger_Returns400Response()
    {
        using var response = await samples.InvokeAsync("http-echo", """{"key":"value"}""");

        var output = JsonDocument.Parse(await FcReply.AssertSuccessAsync(response)).RootElement;
        Assert.Equal(400, output.GetProperty("statusCode").GetInt32());
        Assert.StartsWith("the request did not come from an HTTP Trigger, event: {\n  \"version\": null", output.GetProperty("body").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Hello FC!", false, 200, "Hello FC!")]
    [InlineData("SGVsbG8gRkMh", true, 200, "Hello FC!")]
    [InlineData("not base64!", true, 400, "HTTP Trigger body is not base64 encoded, err: ")]
    [InlineData("/w==", true, 200, "/w==")]
    public async Task HttpEcho_HttpTriggerEvent_EchoesBody(string body, bool isBase64Encoded, int statusCode, string expected)
    {
        var @event = JsonSerializer.Serialize(new { version = "v1", body, isBase64Encoded });

        using var response = await samples.InvokeAsync("http-echo", @event);

        var output = JsonDocument.Parse(await FcReply.AssertSuccessAsync(response)).RootElement;
        Assert.Equal(statusCode, output.GetProperty("statusCode").GetInt32());
        Assert.StartsWith(expected, output.GetProperty("body").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RawEvent_AnyEvent_Returns200WithRawEventAsBody()
    {
        const string Raw = """{"version":"v1","body":"x"} trailing text""";

        using var response = await samples.InvokeAsync("raw-event", Raw);

        var output = JsonDocument.Parse(await FcReply.AssertSuccessAsync(response)).RootElement;
        Assert.Equal(200, output.GetProperty("statusCode").GetInt32());
        Assert.Equal(Raw, output.GetProperty("body").GetString());
    }

    [Fact]
    public async Task AlwaysFails_AnyEvent_ReturnsErrorBody()
    {
        using var response = await samples.InvokeAsync("always-fails", "{}");

        var error = await FcReply.AssertFunctionErrorAsync(response, "InvalidOperationException");
        Assert.Equal("something went wrong!", error.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task Slow_TimeoutShorterThanDelay_HonoursCancellation()
    {
        using var response = await samples.InvokeAsync("slow", """{"delayMs":60000}""", ("x-fc-function-timeout", "1"));

        await FcReply.AssertFunctionErrorAsync(response, "TaskCanceledException");
    }

    [Fact]
    public async Task EventString_Utf8Event_GreetsVerbatim()
    {
        using var response = await samples.InvokeAsync("event-string", Encoding.UTF8.GetString("世界"u8));

        Assert.Equal("hello, 世界!", await FcReply.AssertSuccessAsync(response));
    }
}
