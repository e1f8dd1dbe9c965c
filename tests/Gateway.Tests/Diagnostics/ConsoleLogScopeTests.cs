using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Diagnostics;

[Collection(ProcessConsole.Name)]
public sealed class ConsoleLogScopeTests
{
    [Fact]
    public async Task DefaultConsoleLogger_ShowsTheRequestScope_FromTheFirstRequest()
    {
        var (requestId, output) = await WithTheConsoleCapturedAsync(async gateway =>
        {
            using var response = await gateway.Client.GetAsync("/echo/");
            return InvocationSpanTests.RequestIdOf(response);
        });

        Assert.Contains($"requestId={requestId}", output, StringComparison.Ordinal);
        Assert.Contains($"FcRequestId:{requestId}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAsynchronousInvocationsLines_CarryItsRequestScope()
    {
        var (requestId, output) = await WithTheConsoleCapturedAsync(async gateway =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/2023-03-30/functions/echo/invocations") { Content = new StringContent("{}") };
            request.Headers.Add("x-fc-invocation-type", "Async");
            using var response = await gateway.Client.SendAsync(request);
            var requestId = InvocationSpanTests.RequestIdOf(response);
            await Eventually.HoldsAsync(() => gateway.Logs.Contains($"Asynchronous invocation {requestId} of function echo succeeded"));
            return requestId;
        });

        // The console writes a line's scopes on the line before its message.
        var lines = output.Split('\n');
        var succeeded = Array.FindIndex(lines, line => line.Contains($"Asynchronous invocation {requestId} of function echo succeeded", StringComparison.Ordinal));
        Assert.InRange(succeeded, 1, lines.Length);
        Assert.Contains($"FcRequestId:{requestId}", lines[succeeded - 1], StringComparison.Ordinal);
    }

    /// <summary>
    /// Runs <paramref name="scenario"/> against a gateway logging to the default console, with the process's console
    /// captured: the request id it returns, and what the console got once the gateway was disposed. The console logger
    /// writes its lines from a queue on a thread of its own, and only its disposal (the gateway's, not its stop) waits
    /// for the queue to be written out.
    /// </summary>
    private static async Task<(string RequestId, string Output)> WithTheConsoleCapturedAsync(Func<TestGateway, Task<string>> scenario)
    {
        var console = new StringWriter();
        var original = Console.Out;
        Console.SetOut(TextWriter.Synchronized(console));
        try
        {
            await using var worker = await TestWorker.ReturningAsync("ok");
            var config = new GatewayConfiguration().WithFunction("echo", worker.Url);
            string requestId;
            await using (var gateway = await TestGateway.StartAsync(config.Values, builder => builder.Logging.AddConsole()))
            {
                requestId = await scenario(gateway);
                await gateway.StopAsync();
            }

            return (requestId, console.ToString());
        }
        finally
        {
            Console.SetOut(original);
        }
    }
}
