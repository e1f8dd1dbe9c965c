using FcWorker.Tests.TestHelpers;
using Microsoft.Extensions.Logging;

namespace FcWorker.Tests.Invocation;

public sealed class InvocationLoggingTests
{
    /// <summary>The switch the SDK's README documents for FC's start and end lines.</summary>
    private static readonly string[] InvocationDebugOn = ["--Logging:LogLevel:FcWorker.Invocation=Debug"];

    [Fact]
    public async Task Invoke_Success_ByDefault_LogsNothingAtInformation()
    {
        await using var worker = await TestWorker.StartAsync((IFunctionContext _) => "ok");

        using var response = await worker.InvokeAsync("", ("x-fc-request-id", "req-quiet"));

        await FcReply.AssertSuccessAsync(response);
        Assert.Empty(InvocationEntries(worker, "req-quiet"));
    }

    [Fact]
    public async Task Invoke_Success_StartAndEndAreDebugLines()
    {
        await using var worker = await TestWorker.StartAsync(() => "", args: InvocationDebugOn);

        using var response = await worker.InvokeAsync("", ("x-fc-request-id", "req-debug"));

        await FcReply.AssertSuccessAsync(response);
        Assert.All(InvocationEntries(worker, "req-debug"), e => Assert.Equal(LogLevel.Debug, e.Level));
    }

    [Fact]
    public async Task Invoke_Success_WithInvocationDebugOn_LogsStartAndEndInRequestScope()
    {
        await using var worker = await TestWorker.StartAsync(
            (IFunctionContext context) => context.Logger.Log(LogLevel.Information, default, "inside the handler", null, (state, _) => state),
            args: InvocationDebugOn);

        using var response = await worker.InvokeAsync("", ("x-fc-request-id", "req-log"));

        await FcReply.AssertSuccessAsync(response);
        var entries = InvocationEntries(worker, "req-log");
        Assert.Equal(["FC Invoke Start RequestId: req-log", "inside the handler", "FC Invoke End RequestId: req-log"], entries.Select(e => e.Message));
        Assert.Equal("FcWorker.Function", entries[1].Category);
    }

    [Fact]
    public async Task Invoke_HandlerThrows_LogsErrorWithRequestIdAndException()
    {
        await using var worker = await TestWorker.StartAsync(string () => throw new InvalidOperationException("boom"));

        using var response = await worker.InvokeAsync("", ("x-fc-request-id", "req-err"));

        await FcReply.AssertFunctionErrorAsync(response, "InvalidOperationException");
        var error = Assert.Single(InvocationEntries(worker, "req-err"), e => e.Level == LogLevel.Error);
        Assert.Contains("req-err", error.Message, StringComparison.Ordinal);
        Assert.Equal("boom", error.Exception?.Message);
    }

    [Fact]
    public async Task Initialize_LogsInitializeStartAndEnd()
    {
        await using var worker = await TestWorker.StartAsync(() => "", new FunctionWorkerOptions { Initializer = _ => Task.CompletedTask }, args: InvocationDebugOn);

        using var response = await worker.SendAsync(HttpMethod.Post, "/initialize", headers: [("x-fc-request-id", "req-init")]);

        await FcReply.AssertSuccessAsync(response);
        Assert.Equal(
            ["FC Initialize Start RequestId: req-init", "FC Initialize End RequestId: req-init"],
            InvocationEntries(worker, "req-init").Select(e => e.Message));
    }

    [Fact]
    public async Task Invoke_InvalidEvent_LogsWarningWithReason()
    {
        await using var worker = await TestWorker.StartAsync((Dictionary<string, int> @event) => "");

        using var response = await worker.InvokeAsync("oops", ("x-fc-request-id", "req-bad"));

        await FcReply.AssertFunctionErrorAsync(response, "InvalidEventError");
        var warning = Assert.Single(InvocationEntries(worker, "req-bad"), e => e.Level == LogLevel.Warning);
        Assert.Contains("not a valid JSON", warning.Message, StringComparison.Ordinal);
    }

    /// <summary>The worker's and the function's entries, each asserted to carry the request id in its scope.</summary>
    private static List<CapturedLog> InvocationEntries(TestWorker worker, string requestId)
    {
        var entries = worker.Logs!.Entries.Where(e => e.Category.StartsWith("FcWorker", StringComparison.Ordinal)).ToList();
        Assert.All(entries, e => Assert.Equal(requestId, e.ScopeValues.GetValueOrDefault("FcRequestId")));
        return entries;
    }
}
