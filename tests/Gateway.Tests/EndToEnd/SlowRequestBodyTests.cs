using System.Text.Json;
using Gateway.Tests.Attacks;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// A request body that arrives slower than Kestrel's <c>MinRequestBodyDataRate</c> is answered as a slow request head
/// is: 408 with the FC error body, saying the body came too slowly, without naming Kestrel's setting.
/// </summary>
/// <remarks>
/// The rate's grace period is set in code to a second and a half (Kestrel's least is just over one second): ASP.NET Core does not bind
/// <c>Kestrel:Limits</c> from configuration (dotnet/aspnetcore#4765). Only an upper bound is set on the wait.
/// </remarks>
public sealed class SlowRequestBodyTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("/echo/", "event")]
    [InlineData("/echo/", "web")]
    [InlineData("/2023-03-30/functions/echo/invocations", "event")]
    public async Task BodySlowerThanTheMinimumRate_Is408_SayingItCameTooSlowly(string path, string triggerMode)
    {
        await using var worker = await TestWorker.ReturningAsync("never");
        var config = new GatewayConfiguration().WithFunction("echo", worker.Url).Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", triggerMode);
        await using var gateway = await TestGateway.StartAsync(config.Values, builder => builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(1.5))));
        await using var connection = await RawConnection.OpenAsync(gateway.Url);
        using var stopTrickling = new CancellationTokenSource();

        await connection.SendAsync($"POST {path} HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n");
        var trickle = TrickleAsync(connection, stopTrickling.Token);
        var response = await connection.ReadResponseAsync().WaitAsync(Bound);
        await stopTrickling.CancelAsync();
        await trickle;

        Assert.NotNull(response);
        Assert.Equal(408, response.StatusCode);
        Assert.Matches("^1-[0-9a-f]{8}-[0-9a-f]{24}$", response.Header("X-Fc-Request-Id"));
        using var body = JsonDocument.Parse(response.Body);
        Assert.Equal("InvalidArgument", body.RootElement.GetProperty("errorCode").GetString());
        Assert.Equal("The request body did not arrive in time: it came too slowly.", body.RootElement.GetProperty("errorMessage").GetString());
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("status=408 outcome=rejected"));
    }

    /// <summary>Sends a body byte every 300 ms until the test stops it or the server closes.</summary>
    private static async Task TrickleAsync(RawConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await connection.SendAsync("x");
                await Task.Delay(300, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException)
        {
        }
    }
}
