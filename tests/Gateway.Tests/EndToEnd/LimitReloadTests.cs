using System.Net;
using Gateway.Tests.Infrastructure;
using static Gateway.Tests.EndToEnd.ConfigurationEdits;

namespace Gateway.Tests.EndToEnd;

/// <summary>A limit an edit raises is the gateway's answer, however far it is raised: Kestrel's own limits follow it.</summary>
public sealed class LimitReloadTests
{
    /// <summary>
    /// Kestrel's own limits sit at four times the gateway's so that the gateway answers a request over its limit: a
    /// limit raised by an edit past four times its start-up value must raise them too, or a request within the new
    /// limit is refused by Kestrel.
    /// </summary>
    [Theory]
    [InlineData("Gateway:Limits:MaxRequestHeaderBytes")]
    [InlineData("Gateway:Limits:MaxPathAndQueryBytes")]
    public async Task ALimitRaisedPastFourTimesItsStartUpValue_AdmitsARequestWithinIt(string limit)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        var configuration = Root(gateway);
        var large = new string('x', 40_000);

        configuration[limit] = "65536";
        configuration.Reload();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));

        using var request = new HttpRequestMessage(HttpMethod.Get, limit.EndsWith("HeaderBytes", StringComparison.Ordinal) ? "/echo/" : "/echo/" + large);
        if (limit.EndsWith("HeaderBytes", StringComparison.Ordinal))
        {
            request.Headers.Add("X-Large", large);
        }

        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.SendAsync(request)).StatusCode);
    }

    /// <summary>
    /// Kestrel refuses to start with a request buffer (1 MiB unless configured) smaller than its header limit, which is
    /// four times the gateway's: a header limit over 256 KiB stopped start-up. The buffer follows the head's limits, at
    /// start-up and when an edit raises them.
    /// </summary>
    [Fact]
    public async Task AHeaderLimitOverAQuarterOfKestrelsRequestBuffer_AtStartUpAndByAnEdit_GetsTheGatewaysAnswers()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:Limits:MaxRequestHeaderBytes", "524288"));
        var configuration = Root(gateway);
        Assert.Equal(HttpStatusCode.OK, (await SendWithHeaderAsync(gateway, 400_000)).StatusCode);

        configuration["Gateway:Limits:MaxRequestHeaderBytes"] = "1048576";
        configuration.Reload();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));

        var over = await SendWithHeaderAsync(gateway, 1_200_000);
        Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
        Assert.True(over.Headers.Contains("X-Fc-Request-Id"));
    }

    private static Task<HttpResponseMessage> SendWithHeaderAsync(TestGateway gateway, int bytes)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.Add("X-Large", new string('x', bytes));
        return gateway.Client.SendAsync(request);
    }
}
