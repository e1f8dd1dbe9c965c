using System.Net;
using FcWorker.Tests.TestHelpers;

namespace FcWorker.Tests.Push;

public sealed class WorkerDispatcherTests
{
    [Fact]
    public async Task Initialize_WithInitializer_CallsItWithContext()
    {
        var seen = new TaskCompletionSource<IFunctionContext>();
        var options = new FunctionWorkerOptions
        {
            Initializer = context =>
            {
                seen.SetResult(context);
                return Task.CompletedTask;
            },
        };
        await using var worker = await TestWorker.StartAsync(() => "", options);

        using var response = await worker.SendAsync(HttpMethod.Post, "/initialize", headers:
            [("x-fc-request-id", "init-1"), ("x-fc-initialization-timeout", "7")]);

        Assert.Equal("", await FcReply.AssertSuccessAsync(response));
        var context = await seen.Task;
        Assert.Equal("init-1", context.RequestId);
        Assert.Equal(TimeSpan.FromSeconds(7), context.Timeout);
    }

    [Fact]
    public async Task Initialize_InitializerThrows_ReturnsFcError()
    {
        var options = new FunctionWorkerOptions { Initializer = _ => throw new InvalidOperationException("no database") };
        await using var worker = await TestWorker.StartAsync(() => "", options);

        using var response = await worker.SendAsync(HttpMethod.Post, "/initialize");

        var error = await FcReply.AssertFunctionErrorAsync(response, "InvalidOperationException");
        Assert.Equal("no database", error.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task Initialize_WithoutInitializer_Returns200()
    {
        await using var worker = await TestWorker.StartAsync(() => "");

        using var response = await worker.SendAsync(HttpMethod.Post, "/initialize");

        await FcReply.AssertSuccessAsync(response);
    }

    [Fact]
    public async Task PreStop_WithCallback_CallsItAndReturns200()
    {
        var called = new TaskCompletionSource<string>();
        var options = new FunctionWorkerOptions
        {
            PreStop = context =>
            {
                called.SetResult(context.RequestId);
                return Task.CompletedTask;
            },
        };
        await using var worker = await TestWorker.StartAsync(() => "", options);

        using var response = await worker.SendAsync(HttpMethod.Get, "/pre-stop", headers: [("x-fc-request-id", "stop-1")]);

        await FcReply.AssertSuccessAsync(response);
        Assert.Equal("stop-1", await called.Task);
    }

    [Fact]
    public async Task Healthz_Get_Returns200Ok()
    {
        await using var worker = await TestWorker.StartAsync(() => "");

        using var response = await worker.SendAsync(HttpMethod.Get, "/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/unknown")]
    [InlineData("GET", "/invoke")]
    [InlineData("PUT", "/invoke")]
    [InlineData("POST", "/pre-stop")]
    [InlineData("POST", "/invoke/extra")]
    [InlineData("DELETE", "/initialize")]
    public async Task Dispatch_UnknownMethodOrPath_Returns404WithFcErrorBody(string method, string path)
    {
        var called = false;
        await using var worker = await TestWorker.StartAsync(() => called = true);

        using var response = await worker.SendAsync(new HttpMethod(method), path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await FcReply.ReadJsonAsync(response);
        Assert.Equal("NotFound", error.GetProperty("errorType").GetString());
        Assert.Contains(path, error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.False(called);
    }
}
