using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Diagnostics;

[Collection(ProcessConsole.Name)]
public sealed class ConsoleLogScopeTests
{
    [Fact]
    public async Task DefaultConsoleLogger_ShowsTheRequestScope_FromTheFirstRequest()
    {
        var console = new StringWriter();
        var original = Console.Out;
        Console.SetOut(TextWriter.Synchronized(console));
        string requestId;
        try
        {
            await using var worker = await TestWorker.ReturningAsync("ok");
            var config = new GatewayConfiguration().WithFunction("echo", worker.Url);
            await using var gateway = await TestGateway.StartAsync(config.Values, builder => builder.Logging.AddConsole());

            using var response = await gateway.Client.GetAsync("/echo/");
            requestId = InvocationSpanTests.RequestIdOf(response);

            // Stopping disposes the console logger, which writes out what it has queued.
            await gateway.StopAsync();
        }
        finally
        {
            Console.SetOut(original);
        }

        var output = console.ToString();
        Assert.Contains($"requestId={requestId}", output, StringComparison.Ordinal);
        Assert.Contains($"FcRequestId:{requestId}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAsynchronousInvocationsLines_CarryItsRequestScope()
    {
        var console = new StringWriter();
        var original = Console.Out;
        Console.SetOut(TextWriter.Synchronized(console));
        string requestId;
        try
        {
            await using var worker = await TestWorker.ReturningAsync("ok");
            var config = new GatewayConfiguration().WithFunction("echo", worker.Url);
            await using var gateway = await TestGateway.StartAsync(config.Values, builder => builder.Logging.AddConsole());
            using var request = new HttpRequestMessage(HttpMethod.Post, "/2023-03-30/functions/echo/invocations") { Content = new StringContent("{}") };
            request.Headers.Add("x-fc-invocation-type", "Async");

            using var response = await gateway.Client.SendAsync(request);
            requestId = InvocationSpanTests.RequestIdOf(response);
            await Eventually.HoldsAsync(() => gateway.Logs.Contains($"Asynchronous invocation {requestId} of function echo succeeded"));
            await gateway.StopAsync();
        }
        finally
        {
            Console.SetOut(original);
        }

        // The console writes a line's scopes on the line before its message.
        var lines = console.ToString().Split('\n');
        var succeeded = Array.FindIndex(lines, line => line.Contains($"Asynchronous invocation {requestId} of function echo succeeded", StringComparison.Ordinal));
        Assert.InRange(succeeded, 1, lines.Length);
        Assert.Contains($"FcRequestId:{requestId}", lines[succeeded - 1], StringComparison.Ordinal);
    }
}
