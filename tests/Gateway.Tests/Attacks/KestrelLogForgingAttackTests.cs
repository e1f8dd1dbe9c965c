using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Attacks;

/// <summary>
/// Kestrel quotes a Host header it refuses in its Debug line, and in the exception it logs with it, as the client sent
/// it: a terminal escape or a control character from the client must reach the log escaped, whatever the level.
/// </summary>
public sealed class KestrelLogForgingAttackTests
{
    [Fact]
    public async Task ControlCharactersInARefusedHostHeader_AreEscapedInKestrelsDebugLine()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c
            .Set("Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel", "Debug"));
        await using var connection = await RawConnection.OpenAsync(gateway.Url);

        await connection.SendAsync("GET /echo/ HTTP/1.1\r\nHost: a\u001b[31mb\r\n\r\n");
        var response = await connection.ReadResponseAsync();

        Assert.Equal(400, response?.StatusCode);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("Invalid Host header: 'a\\u001b[31mb'"));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains('\u001b', StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("   at ", StringComparison.Ordinal) && line.Contains("Invalid Host", StringComparison.Ordinal));
    }
}
