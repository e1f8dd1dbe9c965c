using System.Globalization;
using System.Text;
using System.Text.Json;
using FcWorker.Tests.TestHelpers;

namespace FcWorker.Tests.RuntimeApi;

public sealed class RuntimeApiPollerTests
{
    private const string RequestId = "1-64f6cd87-e01edb1cce58240ed59b59d9";

    [Theory]
    [InlineData("/functions/echo")]
    [InlineData("/functions/echo/instances/i-2")]
    [InlineData("")]
    public async Task Invoke_Output_PostedToResponseUnderThePathPrefix(string prefix)
    {
        await using var api = await FakeRuntimeApi.StartAsync(prefix);
        api.Enqueue(RequestId, """{"key":"value"}""");
        await using var worker = await PullingWorker.StartAsync(api, (Dictionary<string, string> e) => $"hello, {e["key"]}!");

        var outcome = await api.NextOutcomeAsync();

        Assert.Equal($"{prefix}/2020-11-11/runtime/invocation/{RequestId}/response", outcome.Path);
        Assert.Equal("hello, value!", outcome.Text);
        Assert.Equal("text/plain; charset=utf-8", outcome.ContentType);
        Assert.All(api.Requests, r => Assert.Contains($" {prefix}/2020-11-11/runtime/invocation/", r, StringComparison.Ordinal));
    }

    /// <summary>
    /// Told that the runtime API speaks cleartext HTTP/2 (the gateway says so to the instances it launches), the worker
    /// polls and replies over it: the fake here refuses HTTP/1.1, so the output arrives only over HTTP/2.
    /// </summary>
    [Fact]
    public async Task Invoke_ToldH2c_PollsAndRepliesOverHttp2()
    {
        await using var api = await FakeRuntimeApi.StartAsync(http2Only: true);
        api.Enqueue(RequestId, """{"key":"value"}""");
        await using var worker = await PullingWorker.StartAsync(
            api, (Dictionary<string, string> e) => $"hello, {e["key"]}!", null, "--FCGATEWAY_RUNTIME_API_PROTOCOL=h2c");

        var outcome = await api.NextOutcomeAsync();

        Assert.Equal("hello, value!", outcome.Text);
        Assert.All(api.Protocols, protocol => Assert.Equal("HTTP/2", protocol));
    }

    [Fact]
    public async Task Start_WithRuntimeApi_ListensNowhere()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        await using var worker = await PullingWorker.StartAsync(api, () => "");

        var exception = Assert.Throws<InvalidOperationException>(() => worker.Url);

        Assert.Contains("FC_RUNTIME_API", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_HandlerThrows_PostsFcErrorBodyToError()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        api.Enqueue(RequestId, "");
        await using var worker = await PullingWorker.StartAsync(api, string () => throw new InvalidOperationException("boom"));

        var outcome = await api.NextOutcomeAsync();

        Assert.Equal((RequestId, "error", "application/json"), (outcome.RequestId, outcome.Outcome, outcome.ContentType));
        var error = JsonDocument.Parse(outcome.Body).RootElement;
        Assert.Equal("boom", error.GetProperty("errorMessage").GetString());
        Assert.Equal("InvalidOperationException", error.GetProperty("errorType").GetString());
        Assert.NotEqual(0, error.GetProperty("stackTrace").GetArrayLength());
    }

    [Fact]
    public async Task Invoke_EventDoesNotBind_PostsInvalidEventError()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        api.Enqueue(RequestId, "not json");
        await using var worker = await PullingWorker.StartAsync(api, (Dictionary<string, int> e) => "");

        var outcome = await api.NextOutcomeAsync();

        Assert.Equal("error", outcome.Outcome);
        Assert.Equal("InvalidEventError", JsonDocument.Parse(outcome.Body).RootElement.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task Invoke_EventOfSeveralReads_BindsWhole()
    {
        var payload = string.Concat(Enumerable.Range(0, 20_000).Select(i => i.ToString("D9", CultureInfo.InvariantCulture) + ","));
        await using var api = await FakeRuntimeApi.StartAsync();
        api.Enqueue(RequestId, payload);
        await using var worker = await PullingWorker.StartAsync(api, (string e) => e);

        var outcome = await api.NextOutcomeAsync();

        Assert.Equal(200_000, outcome.Text.Length);
        Assert.Equal(payload, outcome.Text);
    }

    [Theory]
    [InlineData(null, 4096)]
    [InlineData(600L, 4096)]
    [InlineData(10_000L, 10_000)]
    [InlineData(88_000L, 65_536)]
    [InlineData(long.MaxValue, 65_536)]
    public void ReadSize_IsTheEventsLength_Between4And64KiB(long? contentLength, int expected) =>
        Assert.Equal(expected, FcWorker.RuntimeApi.RuntimeInvocation.ReadSize(contentLength));

    [Fact]
    public async Task Invoke_StreamOutput_PostedWhole()
    {
        var bytes = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();
        await using var api = await FakeRuntimeApi.StartAsync();
        api.Enqueue(RequestId, "");
        await using var worker = await PullingWorker.StartAsync(api, Stream () => new UnseekableStream(bytes));

        var outcome = await api.NextOutcomeAsync();

        Assert.Equal(("response", "application/octet-stream"), (outcome.Outcome, outcome.ContentType));
        Assert.Equal(bytes, outcome.Body);
    }

    [Fact]
    public async Task Invoke_NextHeaders_FillContext()
    {
        var seen = new TaskCompletionSource<IFunctionContext>();
        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddSeconds(20).ToUnixTimeMilliseconds());
        await using var api = await FakeRuntimeApi.StartAsync();
        api.Enqueue(RequestId, "",
            ("x-fc-function-deadline", deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
            ("x-fc-function-timeout", "30"),
            ("x-fc-function-name", "echo"),
            ("x-fc-function-handler", "index.handler"),
            ("x-fc-function-memory", "1024"),
            ("x-fc-region", "cn-hangzhou"),
            ("x-fc-account-id", "123456"),
            ("x-fc-qualifier", "LATEST"),
            ("x-fc-version-id", "3"),
            ("x-fc-access-key-id", "AK"),
            ("x-fc-access-key-secret", "SECRET"),
            ("x-fc-security-token", "TOKEN"));
        await using var worker = await PullingWorker.StartAsync(api, (IFunctionContext context) => seen.SetResult(context));

        var context = await seen.Task.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(RequestId, context.RequestId);
        Assert.Equal(TimeSpan.FromSeconds(30), context.Timeout);
        Assert.Equal(("echo", "index.handler", 1024), (context.FunctionName, context.Handler, context.MemoryLimitInMB));
        Assert.Equal(("cn-hangzhou", "123456", "LATEST", "3"), (context.Region, context.AccountId, context.Qualifier, context.VersionId));
        Assert.Equal(("AK", "SECRET", "TOKEN"), (context.Credentials.AccessKeyId, context.Credentials.AccessKeySecret, context.Credentials.SecurityToken));
        Assert.Equal(deadline, context.Deadline);
        Assert.Equal("response", (await api.NextOutcomeAsync()).Outcome);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("4102444800000")]
    public async Task Invoke_DeadlineMissingMalformedOrBeyondAnyTimeout_IsArrivalPlusTimeout(string header)
    {
        var seen = new TaskCompletionSource<IFunctionContext>();
        await using var api = await FakeRuntimeApi.StartAsync();
        api.Enqueue(RequestId, "", ("x-fc-function-deadline", header), ("x-fc-function-timeout", "30"));
        var before = DateTimeOffset.UtcNow;
        await using var worker = await PullingWorker.StartAsync(api, (IFunctionContext context) => seen.SetResult(context));

        var context = await seen.Task.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.InRange(context.Deadline - context.Timeout, before, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Invoke_DeadlinePassed_CancelsContextToken()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        api.Enqueue(RequestId, "", ("x-fc-function-deadline", "1000"));
        await using var worker = await PullingWorker.StartAsync(api, (IFunctionContext context) => Task.Delay(Timeout.Infinite, context.CancellationToken));

        var outcome = await api.NextOutcomeAsync();

        Assert.Equal("error", outcome.Outcome);
        Assert.Equal("TaskCanceledException", JsonDocument.Parse(outcome.Body).RootElement.GetProperty("errorType").GetString());
    }

    [Theory]
    [InlineData("1", "initialized", "")]
    [InlineData("2", "stopped", "")]
    [InlineData("3", "", "")]
    [InlineData("0", "", "handled")]
    [InlineData("7", "", "handled")]
    public async Task FunctionType_RunsItsCallback_AndPostsAnEmptyResponse(string functionType, string callback, string output)
    {
        var ran = new StringBuilder();
        await using var api = await FakeRuntimeApi.StartAsync();
        api.Enqueue(RequestId, "", ("x-fc-function-type", functionType));
        var options = new FunctionWorkerOptions
        {
            Initializer = _ => Task.FromResult(ran.Append("initialized")),
            PreStop = _ => Task.FromResult(ran.Append("stopped")),
        };
        await using var worker = await PullingWorker.StartAsync(api, () => "handled", options);

        var outcome = await api.NextOutcomeAsync();

        Assert.Equal(("response", output), (outcome.Outcome, outcome.Text));
        Assert.Equal(callback, ran.ToString());
    }

    [Fact]
    public async Task Initializer_Throws_PostsErrorAndGoesOn()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        api.Enqueue("req-init", "", ("x-fc-function-type", "1"));
        api.Enqueue("req-invoke", "");
        var options = new FunctionWorkerOptions { Initializer = _ => throw new InvalidOperationException("no database") };
        await using var worker = await PullingWorker.StartAsync(api, () => "handled", options);

        var initialize = await api.NextOutcomeAsync();
        var invoke = await api.NextOutcomeAsync();

        Assert.Equal(("req-init", "error"), (initialize.RequestId, initialize.Outcome));
        Assert.Equal("no database", JsonDocument.Parse(initialize.Body).RootElement.GetProperty("errorMessage").GetString());
        Assert.Equal(("req-invoke", "response", "handled"), (invoke.RequestId, invoke.Outcome, invoke.Text));
    }

    /// <summary>A stream without a length, so its output must be sent chunked.</summary>
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
