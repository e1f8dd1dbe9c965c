using Gateway.Tests.EndToEnd;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Attacks;

/// <summary>
/// A worker's reply whose framing is ambiguous — two Content-Length values that disagree, or one that is not a length —
/// cannot be taken at its word: RFC 9112 §6.3 has a proxy discard it and answer 502, since which length holds decides
/// what the body is. A head that is not HTTP at all is a bad response too.
/// </summary>
public sealed class WorkerFramingAttackTests
{
    [Theory]
    [InlineData("event", "Content-Length: 5\r\nContent-Length: 6")]
    [InlineData("web", "Content-Length: 5\r\nContent-Length: 6")]
    [InlineData("event", "Content-Length: 5, 6\r\nConnection: close")]
    public async Task ConflictingContentLengths_Are502_NotTheFirstLengthsBytes(string mode, string lengths)
    {
        await using var worker = CannedResponseWorker.Start(_ => $"HTTP/1.1 200 OK\r\n{lengths}\r\n\r\nhello!");
        await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", worker.Url)
            .Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", mode).Values);

        var response = await gateway.Client.GetAsync("/echo/");

        await ErrorPathTests.AssertFunctionFailedAsync(response);
        if (mode == "event")
        {
            await Eventually.HoldsAsync(() => gateway.Logs.Contains("conflicting Content-Length values (5, 6)"));
        }
    }

    [Theory]
    [InlineData("event", "abc")]
    [InlineData("event", "-1")]
    [InlineData("event", "")]
    [InlineData("web", "abc")]
    public async Task AContentLengthThatIsNotALength_Is502_NotTheBytesUpToTheConnectionsEnd(string mode, string length)
    {
        await using var worker = CannedResponseWorker.Start(_ => $"HTTP/1.1 200 OK\r\nContent-Length: {length}\r\n\r\nhello!", closeAfterReply: true);
        await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", worker.Url)
            .Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", mode).Values);

        var response = await gateway.Client.GetAsync("/echo/");

        await ErrorPathTests.AssertFunctionFailedAsync(response);
        if (mode == "event")
        {
            await Eventually.HoldsAsync(() => gateway.Logs.Contains($"invalid Content-Length ({length})"));
        }
    }

    /// <summary>A worker that answered, with a head HttpClient cannot read, gave a bad response: it did not crash.</summary>
    [Theory]
    [InlineData("event", "HTTP/1.1 2000 OK")]
    [InlineData("web", "HTTP/1.1 2000 OK")]
    [InlineData("event", "HTTP/1.1 200 OK\r\nBad Name: x")]
    [InlineData("web", "HTTP/1.1 200 OK\r\nBad Name: x")]
    public async Task AReplyHeadThatIsNotHttp_Is502_ABadResponse_NotACrash(string mode, string head)
    {
        await using var worker = CannedResponseWorker.Start(_ => $"{head}\r\nContent-Length: 0\r\n\r\n");
        await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", worker.Url)
            .Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", mode).Values);

        var response = await gateway.Client.GetAsync("/echo/");

        await ErrorPathTests.AssertFunctionFailedAsync(response);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("status=502 outcome=bad_response"));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("worker_crashed", StringComparison.Ordinal));
    }

    /// <summary>The invocation API's caller learns the reply was not HTTP, not where the worker is.</summary>
    [Fact]
    public async Task AReplyHeadThatIsNotHttp_ThroughTheInvocationApi_IsAnInvalidResponseError_WithoutTheWorkersAddress()
    {
        await using var worker = CannedResponseWorker.Start(_ => "HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n");
        await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", worker.Url).Values);

        using var response = await gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("{}"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Contains("\"errorType\":\"InvalidResponseError\"", body, StringComparison.Ordinal);
        Assert.Contains("The worker's reply is not a valid HTTP response.", body, StringComparison.Ordinal);
        Assert.DoesNotContain(worker.Url, body, StringComparison.Ordinal);
    }
}
