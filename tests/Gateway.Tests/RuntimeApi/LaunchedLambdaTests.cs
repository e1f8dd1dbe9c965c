using System.Net;
using System.Text;
using System.Text.Json;
using FcGateway.Edge.Telemetry;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.RuntimeApi;

/// <summary>
/// Lambda functions the gateway launches (wire contract §14): a real process (tests/LambdaWorker) that pulls from
/// <c>AWS_LAMBDA_RUNTIME_API</c> one invocation at a time, driven through an HTTP trigger and the invocation API.
/// </summary>
public sealed class LaunchedLambdaTests
{
    private const string InvokePath = "/2023-03-30/functions/echo/invocations";
    private const string StreamingInvokePath = "/2021-11-15/functions/echo/response-streaming-invocations";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static Task<TestGateway> StartAsync(string handler, ScopedLogs? logs = null, Action<GatewayConfiguration>? configure = null) => LambdaFunction.StartAsync(
        c =>
        {
            c.Set("Gateway:Functions:echo:Command", PullFunction.Dotnet)
                .Set("Gateway:Functions:echo:Arguments:0", Path.Combine(AppContext.BaseDirectory, "LambdaWorker.dll"))
                .Set("Gateway:Functions:echo:Arguments:1", handler)
                .Set("Gateway:Functions:echo:Handler", "bootstrap")
                .Set("Gateway:Functions:echo:MemorySize", "128");
            configure?.Invoke(c);
        },
        logs: logs);

    /// <summary>
    /// Two instances at most, of one invocation each, streaming (<c>tests/LambdaWorker stream</c>): a request to
    /// <c>/echo/hold</c> holds its stream open until <paramref name="release"/> exists (<see cref="StreamRelease"/>).
    /// </summary>
    private static Task<TestGateway> StartStreamingAsync(string release) => StartAsync("stream", configure: c => c
        .Set("Gateway:Functions:echo:InstanceConcurrency", "1")
        .Set("Gateway:Functions:echo:MaxInstances", "2")
        .Set("Gateway:Functions:echo:Timeout", "00:00:20")
        .Set("Gateway:Functions:echo:Environment:STREAM_RELEASE", release));

    [Fact]
    public async Task AnInstanceStreamingItsResponse_StaysTaken_SoAnotherRequestGoesToAnotherInstance()
    {
        using var release = new StreamRelease();
        await using var gateway = await StartStreamingAsync(release.Path);

        using var holding = await gateway.Client.GetAsync("/echo/hold", HttpCompletionOption.ResponseHeadersRead).WaitAsync(Bound);
        await using var held = await holding.Content.ReadAsStreamAsync();
        var first = new byte["first,".Length];
        await held.ReadExactlyAsync(first).AsTask().WaitAsync(Bound);

        using var other = await gateway.Client.GetAsync("/echo/other").WaitAsync(Bound);
        await release.OpenAsync();
        var rest = await new StreamReader(held).ReadToEndAsync().WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.Created, holding.StatusCode);
        Assert.Equal("first,second", Encoding.UTF8.GetString(first) + rest);
        Assert.Equal("first,second", await other.Content.ReadAsStringAsync());
        Assert.Equal(2, gateway.Pool().Ready.Count);
    }

    [Fact]
    public async Task AnInstanceStillStreaming_AfterItsClientTookNoBody_StaysTaken_SoAnotherRequestGoesToAnotherInstance()
    {
        using var release = new StreamRelease();
        await using var gateway = await StartStreamingAsync(release.Path);

        // A HEAD request is answered with the head alone; the function goes on streaming a body nobody takes.
        using var head = await gateway.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/echo/hold")).WaitAsync(Bound);
        using var other = await gateway.Client.GetAsync("/echo/other").WaitAsync(Bound);
        await release.OpenAsync();

        Assert.Equal(HttpStatusCode.Created, head.StatusCode);
        Assert.Equal("first,second", await other.Content.ReadAsStringAsync());
        Assert.Equal(2, gateway.Pool().Ready.Count);
    }

    [Fact]
    public async Task AnHttpTrigger_SendsTheFunctionUrlEvent_AndTheOutputIsTheResponse()
    {
        await using var gateway = await StartAsync("echo");

        var response = await gateway.Client.PostAsync("/echo/items?a=1&a=2", new StringContent("hello", Encoding.UTF8, "text/plain")).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var @event = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("2.0", @event.GetProperty("version").GetString());
        Assert.Equal("/echo/items", @event.GetProperty("rawPath").GetString());
        Assert.Equal("a=1&a=2", @event.GetProperty("rawQueryString").GetString());
        Assert.Equal("1,2", @event.GetProperty("queryStringParameters").GetProperty("a").GetString());
        Assert.Equal("hello", @event.GetProperty("body").GetString());
        Assert.Equal(response.Headers.GetValues("X-Fc-Request-Id").Single(), @event.GetProperty("requestContext").GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task AnInitErrorAfterItsFirstPoll_TakesTheInstanceOutOfService()
    {
        await using var gateway = await StartAsync("echo");
        await gateway.Client.PostAsync(InvokePath, new StringContent("{}")).WaitAsync(Bound);
        var pool = gateway.Pool();
        var instance = pool.InstanceAt(Assert.Single(pool.Ready))!;
        using var runtime = LambdaFunction.RuntimeClient($"{gateway.RuntimeApi()}/instances/{instance.Id}");

        using var reported = await runtime.PostAsync("init/error", new StringContent("""{"errorMessage":"late","errorType":"Runtime.InitError"}"""));

        Assert.Equal(HttpStatusCode.Accepted, reported.StatusCode);
        await instance.Process.Exited.WaitAsync(Bound);
        Assert.Empty(pool.Ready);
    }

    [Fact]
    public async Task TheInstance_DoesNotLogInTheScopeOfTheRequestThatStartedIt()
    {
        var logs = new ScopedLogs();
        await using var gateway = await StartAsync("echo", logs);

        var response = await gateway.Client.GetAsync("/echo/").WaitAsync(Bound);

        var requestId = response.Headers.GetValues("X-Fc-Request-Id").Single();
        await Eventually.HoldsAsync(() => logs.Entries.Any(entry => Equals(entry.Scopes.GetValueOrDefault(RequestLogScope.Key), requestId)));
        // The process's output is relayed apart from the HTTP exchange: wait for its line rather than assume it is in.
        await Eventually.HoldsAsync(() => logs.Entries.Any(entry => entry.Message.Contains("lambda worker 'echo' polling", StringComparison.Ordinal)));
        var polling = Assert.Single(logs.Entries, entry => entry.Message.Contains("lambda worker 'echo' polling", StringComparison.Ordinal));
        Assert.False(polling.Scopes.ContainsKey(RequestLogScope.Key), $"the instance's line is in the scope of request {polling.Scopes.GetValueOrDefault(RequestLogScope.Key)}");
    }

    [Fact]
    public async Task TheInvocationApi_PassesTheBodyUnchanged_AndTheProcessGetsTheLambdaEnvironment()
    {
        await using var gateway = await StartAsync("env");

        var response = await gateway.Client.PostAsync(InvokePath, new StringContent("""{ "id": 42, "text": "ü" }""")).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var environment = answer.GetProperty("environment");
        var instance = Assert.Single(gateway.Pool().Ready).DestinationId;
        // host:port alone, a port of the instance's own: the runtime clients of Node.js, Python and Rust drop any path.
        var ownAddress = environment.GetProperty("AWS_LAMBDA_RUNTIME_API").GetString()!;
        Assert.Matches(@"^127\.0\.0\.1:\d+$", ownAddress);
        Assert.False(gateway.RuntimeApi().StartsWith(ownAddress + "/", StringComparison.Ordinal), "the instance was given the runtime API's shared port");
        Assert.Equal("echo", environment.GetProperty("AWS_LAMBDA_FUNCTION_NAME").GetString());
        Assert.Equal("128", environment.GetProperty("AWS_LAMBDA_FUNCTION_MEMORY_SIZE").GetString());
        Assert.Equal("$LATEST", environment.GetProperty("AWS_LAMBDA_FUNCTION_VERSION").GetString());
        Assert.Equal("""{ "id": 42, "text": "ü" }""", answer.GetProperty("payload").GetString());
        Assert.Equal("cn-test", environment.GetProperty("AWS_REGION").GetString());
        Assert.Equal("cn-test", environment.GetProperty("AWS_DEFAULT_REGION").GetString());
        Assert.Matches(@"^\d{4}/\d{2}/\d{2}/\[\$LATEST\]" + System.Text.RegularExpressions.Regex.Escape(instance) + "$", environment.GetProperty("AWS_LAMBDA_LOG_STREAM_NAME").GetString());
        Assert.Equal("/aws/lambda/echo", environment.GetProperty("AWS_LAMBDA_LOG_GROUP_NAME").GetString());
        Assert.Equal("on-demand", environment.GetProperty("AWS_LAMBDA_INITIALIZATION_TYPE").GetString());
        // Where the process runs: no WorkingDirectory is set, so the gateway's current directory.
        Assert.Equal(Directory.GetCurrentDirectory(), environment.GetProperty("LAMBDA_TASK_ROOT").GetString());
        Assert.Equal("bootstrap", environment.GetProperty("_HANDLER").GetString());
        Assert.False(environment.TryGetProperty("FC_RUNTIME_API", out _));
        Assert.Equal(
            response.Headers.GetValues("X-Fc-Request-Id").Single(),
            answer.GetProperty("headers").GetProperty("Lambda-Runtime-Aws-Request-Id").GetString());
    }

    [Fact]
    public async Task AFunctionError_Is502ThroughATrigger_AndTheSeedsErrorDocumentThroughTheInvocationApi()
    {
        await using var gateway = await StartAsync("fail");

        var errorDocument = await AssertFunctionErrorAsync(gateway);

        Assert.Equal("""{"errorMessage":"something went wrong!","errorType":"errorString"}""", errorDocument);
    }

    [Fact]
    public async Task AnInitError_FailsTheInvocationThatWaited_AndTheInstanceIsNotUsed()
    {
        await using var gateway = await StartAsync("init-fail");

        var errorDocument = await AssertFunctionErrorAsync(gateway);

        Assert.Contains("cannot read the configuration", errorDocument, StringComparison.Ordinal);
        Assert.Empty(gateway.Pool().Ready);
        await Eventually.HoldsAsync(() => gateway.Logs.Lines.Any(line => line.Contains("failed to initialize (init/error)", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task LogTypeTail_OfAnInvocationWhoseInstanceFailedToInitialize_CarriesWhatThatInstanceWrote()
    {
        await using var gateway = await StartAsync("init-fail");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/2015-03-31/functions/echo/invocations") { Content = new StringContent("{}") };
        request.Headers.Add("X-Amz-Log-Type", "Tail");

        using var response = await gateway.Client.SendAsync(request).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Unhandled", response.Headers.GetValues("X-Amz-Function-Error").Single());
        var log = Encoding.UTF8.GetString(Convert.FromBase64String(response.Headers.GetValues("X-Amz-Log-Result").Single()));
        Assert.Contains("init-fail: cannot read /config.json\n", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogTypeTail_TheResponseCarriesWhatTheInstanceWroteWhileItRan_InBase64()
    {
        await using var gateway = await StartAsync("log");

        using var first = new HttpRequestMessage(HttpMethod.Post, InvokePath) { Content = new StringContent("\"one\"") };
        first.Headers.Add("x-fc-log-type", "Tail");
        var tailed = await gateway.Client.SendAsync(first).WaitAsync(Bound);
        var untailed = await gateway.Client.PostAsync(InvokePath, new StringContent("\"two\"")).WaitAsync(Bound);

        var id = tailed.Headers.GetValues("X-Fc-Request-Id").Single();
        var log = Encoding.UTF8.GetString(Convert.FromBase64String(tailed.Headers.GetValues("X-Fc-Log-Result").Single()));
        Assert.Equal("\"one\"", await tailed.Content.ReadAsStringAsync());
        // Both streams; not the start-up line, written before the invocation.
        Assert.Contains($"handling {id}\n", log, StringComparison.Ordinal);
        Assert.Contains($"a warning while handling {id}\n", log, StringComparison.Ordinal);
        Assert.DoesNotContain("polling", log, StringComparison.Ordinal);
        Assert.False(untailed.Headers.Contains("X-Fc-Log-Result"));
    }

    /// <remarks>With the log tail asked for, END and REPORT still come when the stream ends, not when it begins.</remarks>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InvokeWithResponseStream_SendsOnWhatALaunchedInstanceStreams_AsItComes(bool logTail)
    {
        using var release = new StreamRelease();
        await using var gateway = await StartStreamingAsync(release.Path);
        using var request = new HttpRequestMessage(HttpMethod.Post, StreamingInvokePath) { Content = new StringContent("""{"rawPath":"/echo/hold"}""") };
        if (logTail)
        {
            request.Headers.Add("X-Amz-Log-Type", "Tail");
        }

        using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(Bound);
        var id = response.Headers.GetValues("X-Fc-Request-Id").Single();
        await using var body = await response.Content.ReadAsStreamAsync();
        var held = "";
        while (!held.EndsWith("first,", StringComparison.Ordinal))
        {
            held += (await AwsEventStream.ReadNextAsync(body)).PayloadText;
        }

        var endedWhileHeld = gateway.Logs.Contains($"platform: END RequestId: {id}");
        await release.OpenAsync();
        using var rest = new MemoryStream();
        await body.CopyToAsync(rest).WaitAsync(Bound);
        var messages = AwsEventStream.Read(rest.ToArray());

        Assert.Equal("{\"statusCode\":201}\0\0\0\0\0\0\0\0first,", held);
        Assert.Equal("second", string.Concat(messages[..^1].Select(message => message.PayloadText)));
        Assert.Equal("InvokeComplete", messages[^1].EventType);
        Assert.Equal(logTail, messages[^1].PayloadText.Contains("LogResult", StringComparison.Ordinal));
        Assert.False(endedWhileHeld);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains($"platform: END RequestId: {id}"));
    }

    [Fact]
    public async Task InvokeWithResponseStream_WithLogTypeTail_CarriesTheTail_InInvokeComplete()
    {
        await using var gateway = await StartAsync("log");
        using var request = new HttpRequestMessage(HttpMethod.Post, StreamingInvokePath) { Content = new StringContent("\"one\"") };
        request.Headers.Add("X-Amz-Log-Type", "Tail");

        using var response = await gateway.Client.SendAsync(request).WaitAsync(Bound);
        var messages = AwsEventStream.Read(await response.Content.ReadAsByteArrayAsync());

        var id = response.Headers.GetValues("X-Fc-Request-Id").Single();
        Assert.Equal(["PayloadChunk", "InvokeComplete"], messages.Select(message => message.EventType));
        Assert.Equal("\"one\"", messages[0].PayloadText);
        using var complete = JsonDocument.Parse(messages[1].Payload);
        var log = Encoding.UTF8.GetString(Convert.FromBase64String(complete.RootElement.GetProperty("LogResult").GetString()!));
        Assert.Contains($"a warning while handling {id}\n", log, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("X-Amz-Log-Result"));
    }

    [Fact]
    public async Task AnInvocationThatTimesOut_IsLoggedAsLambdaLogsIt_BeforeItsEndAndReport()
    {
        await using var gateway = await StartAsync("hang", configure: c => c.Set("Gateway:Functions:echo:Timeout", "00:00:01"));

        var response = await gateway.Client.PostAsync(InvokePath, new StringContent("{}")).WaitAsync(Bound);

        var id = response.Headers.GetValues("X-Fc-Request-Id").Single();
        await Eventually.HoldsAsync(() => gateway.Logs.Lines.Any(line => line.Contains($"platform: REPORT RequestId: {id}", StringComparison.Ordinal)));
        var lines = gateway.Logs.Lines.Where(line => line.Contains("platform: ", StringComparison.Ordinal) && line.Contains(id, StringComparison.Ordinal)).ToList();
        Assert.Equal(4, lines.Count);
        Assert.Contains($"platform: START RequestId: {id} Version: $LATEST", lines[0], StringComparison.Ordinal);
        Assert.Matches($@"platform: \d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{{3}}Z {id} Task timed out after 1\.00 seconds", lines[1]);
        Assert.Contains($"platform: END RequestId: {id}", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInstanceThatExitsAfterReportingItsPanic_IsLoggedAsRunningNoInvocation_AndTheNextGoesToAnother()
    {
        await using var gateway = await StartAsync("panic");

        using var panicked = await gateway.Client.PostAsync(InvokePath, new StringContent("{}")).WaitAsync(Bound);
        await Eventually.HoldsAsync(() => gateway.Logs.Lines.Any(line => line.Contains(" exited with code 2; ", StringComparison.Ordinal)), Bound);
        using var next = await gateway.Client.PostAsync(InvokePath, new StringContent("{}")).WaitAsync(Bound);

        Assert.Equal("UnhandledInvocationError", panicked.Headers.GetValues("X-Fc-Error-Type").Single());
        Assert.Contains(gateway.Logs.Lines, line => line.Contains(" exited with code 2; invocations it was running, which failed with it: 0;", StringComparison.Ordinal));
        Assert.Equal("UnhandledInvocationError", next.Headers.GetValues("X-Fc-Error-Type").Single());
    }

    [Fact]
    public async Task AnInstanceThatExitsDuringItsInvocation_IsLambdasRuntimeExitError_ThroughLambdasInvoke_AndTheGatewaysOwnThroughFcs()
    {
        await using var gateway = await StartAsync("exit");

        using var throughLambda = await gateway.Client.PostAsync("/2015-03-31/functions/echo/invocations", new StringContent("{}")).WaitAsync(Bound);
        using var throughFc = await gateway.Client.PostAsync(InvokePath, new StringContent("{}")).WaitAsync(Bound);

        Assert.Equal("Unhandled", throughLambda.Headers.GetValues("X-Amz-Function-Error").Single());
        using var lambdas = JsonDocument.Parse(await throughLambda.Content.ReadAsStringAsync());
        Assert.Equal("Runtime.ExitError", lambdas.RootElement.GetProperty("errorType").GetString());
        var id = throughLambda.Headers.GetValues("x-amzn-RequestId").Single();
        Assert.StartsWith($"RequestId: {id} Error: ", lambdas.RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        using var fcs = JsonDocument.Parse(await throughFc.Content.ReadAsStringAsync());
        Assert.Equal("ProcessExitedError", fcs.RootElement.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task AnInstanceThatExitsDuringItsFirstInvocation_ReportsAPeakMemory_NotZero()
    {
        await using var gateway = await StartAsync("exit");

        var response = await gateway.Client.PostAsync(InvokePath, new StringContent("{}")).WaitAsync(Bound);

        var id = response.Headers.GetValues("X-Fc-Request-Id").Single();
        await Eventually.HoldsAsync(() => gateway.Logs.Lines.Any(line => line.Contains($"platform: REPORT RequestId: {id}", StringComparison.Ordinal)));
        var report = gateway.Logs.Lines.Single(line => line.Contains($"platform: REPORT RequestId: {id}", StringComparison.Ordinal));
        Assert.Matches(@"Max Memory Used: [1-9]\d* MB", report);
    }

    [Fact]
    public async Task EachInvocation_IsFramedInTheInstancesLog_ByLambdasStartEndAndReportLines()
    {
        await using var gateway = await StartAsync("log");

        using var first = new HttpRequestMessage(HttpMethod.Post, InvokePath) { Content = new StringContent("\"one\"") };
        first.Headers.Add("x-fc-log-type", "Tail");
        var cold = await gateway.Client.SendAsync(first).WaitAsync(Bound);
        using var second = new HttpRequestMessage(HttpMethod.Post, InvokePath) { Content = new StringContent("\"two\"") };
        second.Headers.Add("x-fc-log-type", "Tail");
        var warm = await gateway.Client.SendAsync(second).WaitAsync(Bound);

        var coldId = cold.Headers.GetValues("X-Fc-Request-Id").Single();
        var coldLog = Encoding.UTF8.GetString(Convert.FromBase64String(cold.Headers.GetValues("X-Fc-Log-Result").Single())).Split('\n');
        Assert.Equal($"START RequestId: {coldId} Version: $LATEST", coldLog[0]);
        Assert.Contains($"handling {coldId}", coldLog);
        Assert.Equal($"END RequestId: {coldId}", coldLog[^3]);
        var coldReport = System.Text.RegularExpressions.Regex.Match(
            coldLog[^2], $@"^REPORT RequestId: {coldId}\tDuration: (?<duration>\d+\.\d\d) ms\tBilled Duration: (?<billed>\d+) ms\tMemory Size: 128 MB\tMax Memory Used: [1-9]\d* MB\tInit Duration: (?<init>\d+\.\d\d) ms\t$");
        Assert.True(coldReport.Success, coldLog[^2]);

        // As Lambda bills a cold start since August 2025 (and a custom runtime's always): the invocation and the init.
        var initAndDuration = Number(coldReport, "duration") + Number(coldReport, "init");
        Assert.InRange(Number(coldReport, "billed"), initAndDuration - 0.01, initAndDuration + 1.01);
        Assert.Equal("", coldLog[^1]);
        var warmId = warm.Headers.GetValues("X-Fc-Request-Id").Single();
        var warmReport = Encoding.UTF8.GetString(Convert.FromBase64String(warm.Headers.GetValues("X-Fc-Log-Result").Single())).Split('\n')[^2];
        Assert.StartsWith($"REPORT RequestId: {warmId}\t", warmReport, StringComparison.Ordinal);
        Assert.EndsWith(" MB\t", warmReport, StringComparison.Ordinal);
        Assert.DoesNotContain("Init Duration", warmReport, StringComparison.Ordinal);
        await Eventually.HoldsAsync(() => gateway.Logs.Lines.Any(line => line.Contains($"platform: END RequestId: {warmId}", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AnInstancesOwnPort_ServesOnlyItsRuntimeApi_AndClosesWhenItExits()
    {
        await using var gateway = await StartAsync("echo");
        await gateway.Client.PostAsync(InvokePath, new StringContent("{}")).WaitAsync(Bound);
        var pool = gateway.Pool();
        var instance = pool.InstanceAt(Assert.Single(pool.Ready))!;
        var ownAddress = instance.OwnAddress!.Authority;
        using var client = new HttpClient { BaseAddress = new Uri($"http://{ownAddress}/") };

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("functions/echo/2018-06-01/runtime/invocation/next").WaitAsync(Bound)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("2018-06-01/runtime/invocation/1-00000000-000000000000000000000000/response", new StringContent("{}")).WaitAsync(Bound)).StatusCode);

        await instance.Process.StopAsync(TimeSpan.FromSeconds(5), CancellationToken.None).WaitAsync(Bound);
        await Eventually.HoldsAsync(() => !Listens(ownAddress));

        // The connection this client keeps open outlives the port: it is still answered (the instance is gone: 404).
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("2018-06-01/runtime/invocation/next").WaitAsync(Bound)).StatusCode);
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("ObjectDisposedException", StringComparison.Ordinal));
    }

    private static double Number(System.Text.RegularExpressions.Match report, string group) =>
        double.Parse(report.Groups[group].Value, System.Globalization.CultureInfo.InvariantCulture);

    private static bool Listens(string authority)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        try
        {
            socket.Connect(IPEndPoint.Parse(authority));
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>Asserts a function error both ways (502 through a trigger; 200 and the error type through the invocation API) and returns the error document.</summary>
    private static async Task<string> AssertFunctionErrorAsync(TestGateway gateway)
    {
        var triggered = await gateway.Client.GetAsync("/echo/").WaitAsync(Bound);
        var invoked = await gateway.Client.PostAsync(InvokePath, new StringContent("{}")).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.BadGateway, triggered.StatusCode);
        Assert.Equal("Internal Server Error", await triggered.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, invoked.StatusCode);
        Assert.Equal("UnhandledInvocationError", invoked.Headers.GetValues("X-Fc-Error-Type").Single());
        return await invoked.Content.ReadAsStringAsync();
    }
}
