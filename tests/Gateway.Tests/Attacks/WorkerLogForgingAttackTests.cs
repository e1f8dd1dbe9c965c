using System.Text;
using FcGateway;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Attacks;

/// <summary>A worker's error body is quoted in the gateway's log: it must not be able to start a forged line there either.</summary>
public sealed class WorkerLogForgingAttackTests
{
    [Theory]
    [InlineData("GET", "/echo/", 502)]
    [InlineData("POST", "/2023-03-30/functions/echo/invocations", 200)]
    public async Task LineBreaksInAWorkersErrorBody_AreEscapedInTheLog(string method, string path, int status)
    {
        await using var worker = await TestWorker.StartAsync((context, _) =>
            TestWorker.Reply(context, 404, "{\"errorMessage\":\"boom\r\nForged-Line: yes\"}", fcStatus: "404"));
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await gateway.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(status, (int)response.StatusCode);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("Error body: {\"errorMessage\":\"boom\\u000d\\u000aForged-Line: yes\"}"));
        Assert.False(gateway.Logs.Contains("\nForged-Line"), "no log entry holds a raw line break from the worker");
    }

    [Theory]
    [InlineData("GET", "/echo/")]
    [InlineData("POST", "/2023-03-30/functions/echo/invocations")]
    public async Task AWorkersErrorBodyOfControlAndNonAsciiCharacters_IsBoundedOnceEscaped_InPlainAndJsonLines(string method, string path)
    {
        // Of the 4,096 bytes logged, each ESC is six characters once escaped: a line of over 16 KB, which container
        // runtimes split, its continuation a record of its own that starts with the worker's text. And JSON's default
        // encoder writes "<é" as twelve characters, each field twice (the message and its own member).
        var body = string.Concat(Enumerable.Repeat("<é", 1000)) + new string('\u001b', 3000);
        await using var worker = await TestWorker.StartAsync((context, _) => TestWorker.Reply(context, 404, body, fcStatus: "404"));
        var config = new GatewayConfiguration().WithFunction("echo", worker.Url);
        JsonConsoleLines? json = null;
        await using var gateway = await TestGateway.StartAsync(config.Values, builder => json = JsonConsoleLines.AddTo(builder.Services));

        using var response = await gateway.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        // The providers get the record one after the other: the JSON line may follow the plain one by a moment.
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("Error body: <é<é") && json!.Lines.Any(line => line.Contains("Error body: ", StringComparison.Ordinal)));
        var plain = gateway.Logs.Lines.Single(line => line.Contains("Error body: ", StringComparison.Ordinal));
        Assert.InRange(plain.Length, 0, LogText.MaxTextLength + 512);
        Assert.Contains("characters in all)", plain, StringComparison.Ordinal);
        var jsonLine = json!.Lines.Single(line => line.Contains("Error body: ", StringComparison.Ordinal));
        Assert.InRange(Encoding.UTF8.GetByteCount(jsonLine), 0, 16 * 1024);
    }

    [Fact]
    public async Task AWorkersLongErrorBodyOfPlainText_IsLoggedCut_WithItsSizeInBytes()
    {
        var body = new string('e', 5000);
        await using var worker = await TestWorker.StartAsync((context, _) => TestWorker.Reply(context, 404, body, fcStatus: "404"));
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        using var response = await gateway.Client.GetAsync("/echo/");

        await Eventually.HoldsAsync(() => gateway.Logs.Contains("Error body: eeee"));
        var logged = gateway.Logs.Lines.Single(line => line.Contains("Error body: ", StringComparison.Ordinal));
        Assert.Contains("… (5000 bytes in all)", logged, StringComparison.Ordinal);
        Assert.DoesNotContain("characters in all", logged, StringComparison.Ordinal);
    }

    /// <remarks>
    /// An output header name is the function's text too, and only the output's own limit bounds it; all the names
    /// dropped from one output share one line, however many there are.
    /// </remarks>
    [Fact]
    public async Task InvalidOutputHeaderNamesOfControlCharacters_AreLoggedOnOneLine_BoundedOnceEscaped()
    {
        var name = ("X-" + new string('\u001b', 3000)).Replace("\u001b", "\\u001b", StringComparison.Ordinal);
        var output = $$"""{"statusCode":200,"headers":{"Y Z":"v","A:B":"v","{{name}}":"v"},"body":"kept"}""";
        await using var worker = await TestWorker.StartAsync((context, _) => TestWorker.Reply(context, 200, output, fcStatus: "200"));
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        using var response = await gateway.Client.GetAsync("/echo/");

        Assert.Equal("kept", await response.Content.ReadAsStringAsync());
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("which were dropped: 'Y Z', 'A:B', 'X-\\u001b"));
        var logged = gateway.Logs.Lines.Single(line => line.Contains("returned invalid response headers", StringComparison.Ordinal));
        Assert.InRange(logged.Length, 0, LogText.MaxTextLength + 512);
        Assert.Contains("(3018 characters in all)", logged, StringComparison.Ordinal);
    }
}
