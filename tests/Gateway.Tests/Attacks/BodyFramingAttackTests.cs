using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Attacks;

/// <summary>
/// Request bodies whose framing is broken or that pass the body limit are the client's fault: 400 with FC's error
/// body and the request id, logged at Debug (so no client can write error logs on demand), on every path a
/// body is read or forwarded, and never a whole over-limit body at the worker.
/// </summary>
public sealed class BodyFramingAttackTests
{
    private const string InvokeApiPath = "/2023-03-30/functions/echo/invocations";

    [Theory]
    [InlineData("event", "/echo/", "ffffffffffffffffff")]
    [InlineData("event", InvokeApiPath, "ffffffffffffffffff")]
    [InlineData("event", "/echo/", "zz")]
    [InlineData("event", InvokeApiPath, "zz")]
    public async Task MalformedChunkSize_Is400InvalidArgument_LoggedAtDebug(string mode, string path, string chunkSize)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => DebugLogs(c).Set(TriggerModeKey, mode));
        var body = Latin1($"{chunkSize}\r\nabc\r\n0\r\n\r\n");

        var response = await RawHttp.SendAsync(gateway.Url, $"POST {path} HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n", body);

        AssertClientError(response, "InvalidArgument");
        Assert.Empty(worker.Received);
        AssertLoggedAtDebugOnly(gateway, response.Header("X-Fc-Request-Id")!);
    }

    private const string TriggerModeKey = "ReverseProxy:Routes:echo:Metadata:TriggerMode";

    private static GatewayConfiguration DebugLogs(GatewayConfiguration config) => config.Set("Logging:LogLevel:FcGateway", "Debug");

    private static byte[] Latin1(string text) => System.Text.Encoding.Latin1.GetBytes(text);

    private static void AssertClientError(RawResponse response, string errorCode)
    {
        Assert.Equal(400, response.StatusCode);
        Assert.StartsWith($"{{\"errorCode\":\"{errorCode}\"", response.Body, StringComparison.Ordinal);
        Assert.NotNull(response.Header("X-Fc-Request-Id"));
    }

    /// <summary>The rejection is logged at Debug; above it only the access line, and no warning or error at all.</summary>
    private static void AssertLoggedAtDebugOnly(TestGateway gateway, string requestId)
    {
        var aboutRequest = gateway.Logs.Lines.Where(line => line.Contains(requestId, StringComparison.Ordinal)).ToList();
        Assert.Contains(aboutRequest, line => line.StartsWith("Debug ", StringComparison.Ordinal));
        Assert.All(
            aboutRequest.Where(line => !line.StartsWith("Debug ", StringComparison.Ordinal)),
            line => Assert.StartsWith("Information FcGateway.Diagnostics.InvocationTelemetry:", line, StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.StartsWith("Warning ", StringComparison.Ordinal) || line.StartsWith("Error ", StringComparison.Ordinal) || line.StartsWith("Critical ", StringComparison.Ordinal));
    }
}
