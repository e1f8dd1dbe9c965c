using System.Net.Sockets;
using System.Text;
using FcGateway.RuntimeApi;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Tests.RuntimeApi;

/// <summary>Kestrel's limits on the runtime API's listener, set for what runtime clients send.</summary>
public sealed class RuntimeApiListenerLimitsTests
{
    [Fact]
    public void AReplyMayComeAtTheFunctionsOwnPace_ItsDeadlineBoundsIt()
    {
        var limits = new KestrelServerLimits();

        RuntimeApiListenerLimits.Apply(limits);

        Assert.Null(limits.MinRequestBodyDataRate);
    }

    /// <summary>
    /// Python's http.client, for one, posts the reply on the connection it polled on, without looking whether it is still
    /// open. Kestrel checks every connection's timeouts at its heartbeat, once a second: a keep-alive timeout its
    /// arithmetic overflows (<see cref="TimeSpan.MaxValue"/>, which it holds for an infinite one) closed the connection
    /// at the first check, under a second into the invocation, and the reply was lost.
    /// </summary>
    [Fact]
    public async Task ARuntimesConnection_IdleWhileItsFunctionRuns_StillTakesItsReply_AfterKestrelHasCheckedItsTimeouts()
    {
        await using var gateway = await PullFunction.StartAsync();
        var runtimeApi = new Uri($"http://{gateway.RuntimeApi()}/");
        var call = gateway.Client.GetAsync("/echo/idle");
        using var worker = new TcpClient();
        await worker.ConnectAsync(runtimeApi.Host, runtimeApi.Port);
        var stream = worker.GetStream();
        var reader = new RawRequestReader(stream);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET {runtimeApi.AbsolutePath}2020-11-11/runtime/invocation/next HTTP/1.1\r\nHost: {runtimeApi.Authority}\r\n\r\n"), timeout.Token);
        var poll = await reader.ReadHeadAsync(timeout.Token);
        Assert.NotNull(poll);
        Assert.True(await reader.SkipBodyAsync(poll, timeout.Token));
        var requestId = poll.Split("\r\n").Single(line => line.StartsWith("x-fc-request-id:", StringComparison.OrdinalIgnoreCase))["x-fc-request-id:".Length..].Trim();

        await KestrelsHeartbeatHasRunAsync(runtimeApi);
        const string Reply = """{"statusCode":200,"body":"still here"}""";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST {runtimeApi.AbsolutePath}2020-11-11/runtime/invocation/{requestId}/response HTTP/1.1\r\nHost: {runtimeApi.Authority}\r\n" +
            $"Content-Type: application/json\r\nContent-Length: {Reply.Length}\r\n\r\n{Reply}"), timeout.Token);
        var taken = await reader.ReadHeadAsync(timeout.Token);

        Assert.StartsWith("HTTP/1.1 200 ", taken);
        using var response = await call;
        Assert.Equal("still here", await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Kestrel renews its Date header at each heartbeat, the second it was taken at: once it has changed twice, a whole
    /// heartbeat, with its check of every connection's timeouts, has run since this began.
    /// </summary>
    private static async Task KestrelsHeartbeatHasRunAsync(Uri runtimeApi)
    {
        using var client = new HttpClient { BaseAddress = runtimeApi };
        var dates = new HashSet<string>();
        await Eventually.HoldsAsync(async () =>
        {
            using var response = await client.GetAsync("heartbeat");
            dates.Add(response.Headers.GetValues("Date").Single());
            return dates.Count == 3;
        });
    }
}
