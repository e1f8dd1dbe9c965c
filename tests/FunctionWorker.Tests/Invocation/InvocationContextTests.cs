using System.Text.RegularExpressions;
using FcWorker.Tests.TestHelpers;

namespace FcWorker.Tests.Invocation;

public sealed partial class InvocationContextTests
{
    [Fact]
    public async Task Invoke_CommonHeaders_FillContext()
    {
        var seen = new TaskCompletionSource<IFunctionContext>();
        await using var worker = await TestWorker.StartAsync((IFunctionContext context) => seen.SetResult(context));

        using var response = await worker.InvokeAsync("",
            ("x-fc-request-id", "1-64f6cd87-e01edb1cce58240ed59b59d9"),
            ("x-fc-function-name", "echo"),
            ("x-fc-function-memory", "1024"),
            ("x-fc-function-timeout", "30"),
            ("x-fc-function-handler", "index.handler"),
            ("x-fc-region", "cn-hangzhou"),
            ("x-fc-account-id", "123456"),
            ("x-fc-qualifier", "LATEST"),
            ("x-fc-version-id", "3"),
            ("x-fc-retry-count", "2"),
            ("x-fc-access-key-id", "AK"),
            ("x-fc-access-key-secret", "SECRET"),
            ("x-fc-security-token", "TOKEN"));

        await FcReply.AssertSuccessAsync(response);
        var context = await seen.Task;
        Assert.Equal("1-64f6cd87-e01edb1cce58240ed59b59d9", context.RequestId);
        Assert.Equal("echo", context.FunctionName);
        Assert.Equal(1024, context.MemoryLimitInMB);
        Assert.Equal(TimeSpan.FromSeconds(30), context.Timeout);
        Assert.Equal("index.handler", context.Handler);
        Assert.Equal("cn-hangzhou", context.Region);
        Assert.Equal("123456", context.AccountId);
        Assert.Equal("LATEST", context.Qualifier);
        Assert.Equal("3", context.VersionId);
        Assert.Equal(2, context.RetryCount);
        Assert.Equal(("AK", "SECRET", "TOKEN"), (context.Credentials.AccessKeyId, context.Credentials.AccessKeySecret, context.Credentials.SecurityToken));
    }

    [Fact]
    public async Task Invoke_NoHeaders_UsesDefaultsAndGeneratesRequestId()
    {
        var seen = new TaskCompletionSource<IFunctionContext>();
        await using var worker = await TestWorker.StartAsync((IFunctionContext context) => seen.SetResult(context));
        var before = DateTimeOffset.UtcNow;

        using var response = await worker.InvokeAsync("");

        await FcReply.AssertSuccessAsync(response);
        var context = await seen.Task;
        Assert.Matches(FcRequestId(), context.RequestId);
        Assert.Equal(TimeSpan.FromSeconds(60), context.Timeout);
        Assert.Equal(512, context.MemoryLimitInMB);
        Assert.Equal("", context.FunctionName);
        Assert.Equal(0, context.RetryCount);
        Assert.Same(FunctionCredentials.Empty, context.Credentials);
        Assert.InRange(context.Deadline - context.Timeout, before, DateTimeOffset.UtcNow);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("99999999999")]
    [InlineData("1.5")]
    public async Task Invoke_MalformedNumbers_FallBackToDefaults(string value)
    {
        var seen = new TaskCompletionSource<IFunctionContext>();
        await using var worker = await TestWorker.StartAsync((IFunctionContext context) => seen.SetResult(context));

        using var response = await worker.InvokeAsync(
            "", ("x-fc-function-timeout", value), ("x-fc-function-memory", value), ("x-fc-retry-count", value));

        await FcReply.AssertSuccessAsync(response);
        var context = await seen.Task;
        Assert.Equal(TimeSpan.FromSeconds(60), context.Timeout);
        Assert.Equal(512, context.MemoryLimitInMB);
        Assert.Equal(0, context.RetryCount);
    }

    [Fact]
    public async Task Invoke_TimeoutRunsOut_CancelsContextToken()
    {
        var observed = new TaskCompletionSource<bool>();
        await using var worker = await TestWorker.StartAsync(async (IFunctionContext context) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                observed.SetResult(context.CancellationToken.IsCancellationRequested);
                throw;
            }
        });

        using var response = await worker.InvokeAsync("", ("x-fc-function-timeout", "1"));

        await FcReply.AssertFunctionErrorAsync(response, "TaskCanceledException");
        Assert.True(await observed.Task);
    }

    [Fact]
    public async Task Invoke_CallerDisconnects_CancelsContextToken()
    {
        var started = new TaskCompletionSource();
        var cancelled = new TaskCompletionSource();
        await using var worker = await TestWorker.StartAsync(async (IFunctionContext context) =>
        {
            using var registration = context.CancellationToken.Register(cancelled.SetResult);
            started.SetResult();
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        });
        using var caller = new CancellationTokenSource();

        var call = worker.SendAsync(HttpMethod.Post, "/invoke", new StringContent(""), cancellationToken: caller.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await caller.CancelAsync();

        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [GeneratedRegex("^1-[0-9a-f]{8}-[0-9a-f]{24}$")]
    private static partial Regex FcRequestId();
}
