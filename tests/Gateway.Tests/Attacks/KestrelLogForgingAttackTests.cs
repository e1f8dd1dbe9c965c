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

    /// <remarks>
    /// Kestrel lets a header of up to its 32 KB through: escaped six times over, a line well past the 16 KB at which
    /// container runtimes split it, in the JSON format twice (the message and the state's own field).
    /// </remarks>
    [Fact]
    public async Task AnOversizedRefusedHostHeaderOfControlCharacters_IsBoundedOnceEscaped_InPlainAndJsonLines()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        var config = new GatewayConfiguration().WithFunction("echo", worker.Url)
            .Set("Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel", "Debug");
        JsonConsoleLines? json = null;
        await using var gateway = await TestGateway.StartAsync(config.Values, builder => json = JsonConsoleLines.AddTo(builder.Services));
        await using var connection = await RawConnection.OpenAsync(gateway.Url);

        await connection.SendAsync($"GET /echo/ HTTP/1.1\r\nHost: a{new string('\u001b', 5000)}\r\n\r\n");
        var response = await connection.ReadResponseAsync();

        Assert.Equal(400, response?.StatusCode);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("Invalid Host header: 'a\\u001b")
            && json!.Lines.Any(line => line.Contains("Invalid Host header", StringComparison.Ordinal)));
        var plain = gateway.Logs.Lines.Single(line => line.Contains("Invalid Host header", StringComparison.Ordinal));
        Assert.InRange(plain.Length, 0, 2 * (FcGateway.LogText.MaxFieldLength + 512));
        Assert.Contains("characters in all)", plain, StringComparison.Ordinal);
        var jsonLine = json!.Lines.Single(line => line.Contains("Invalid Host header", StringComparison.Ordinal));
        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(jsonLine), 0, 16 * 1024);
    }
}
