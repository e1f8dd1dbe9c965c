using System.Net;
using Gateway.Tests.EndToEnd;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Attacks;

/// <summary>
/// What a web worker answers is held to the same rules as an event function's output: a body over
/// <c>MaxResponseBodyBytes</c> never reaches the client whole.
/// </summary>
public sealed class WebWorkerAttackTests
{
    private const int ResponseLimit = 1024;

    [Fact]
    public async Task DeclaredBodyOverTheResponseLimit_Is502_BeforeAnythingIsSent()
    {
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            context.Response.ContentLength = ResponseLimit + 1;
            await context.Response.Body.WriteAsync(new byte[ResponseLimit + 1]);
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => Web(c).Set("Gateway:Limits:MaxResponseBodyBytes", $"{ResponseLimit}"));

        var response = await gateway.Client.GetAsync("/echo/");

        await ErrorPathTests.AssertFunctionFailedAsync(response);
        Assert.True(gateway.Logs.Contains($"exceeds {ResponseLimit} bytes"));
    }

    [Fact]
    public async Task StreamedBodyPassingTheResponseLimit_AfterTheResponseStarted_CutsTheConnection_AndLogsWhy()
    {
        var responseStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            await context.Response.Body.WriteAsync(new byte[ResponseLimit - 24]);
            await context.Response.Body.FlushAsync();
            await responseStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await context.Response.Body.WriteAsync(new byte[48]);
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => Web(c).Set("Gateway:Limits:MaxResponseBodyBytes", $"{ResponseLimit}"));

        using var response = await gateway.Client.GetAsync("/echo/", HttpCompletionOption.ResponseHeadersRead);
        responseStarted.SetResult();
        var cut = await Record.ExceptionAsync(() => response.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(cut is HttpRequestException or IOException, $"The body ended without an error: {cut}");
        Assert.True(gateway.Logs.Contains($"exceeds {ResponseLimit} bytes"));
    }

    [Fact]
    public async Task BodyAtTheResponseLimit_StreamsThrough()
    {
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            await context.Response.Body.WriteAsync(new byte[ResponseLimit / 2]);
            await context.Response.Body.FlushAsync();
            await context.Response.Body.WriteAsync(new byte[ResponseLimit / 2]);
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => Web(c).Set("Gateway:Limits:MaxResponseBodyBytes", $"{ResponseLimit}"));

        var response = await gateway.Client.GetAsync("/echo/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ResponseLimit, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    private static GatewayConfiguration Web(GatewayConfiguration config) =>
        config.Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web");
}
