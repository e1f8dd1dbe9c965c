using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using FcGateway.RuntimeApi;
using Gateway.Tests.EndToEnd;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.RuntimeApi;

/// <summary>The Lambda runtime API 2018-06-01 (wire contract §14), driven by the test's own runtime client.</summary>
public sealed class LambdaRuntimeApiTests
{
    private const string InvokePath = "/2023-03-30/functions/echo/invocations";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Next_CarriesTheLambdaHeaders_AndTheBodyUnchanged_AndA202ReplyIsTheOutput()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        await using var gateway = await LambdaFunction.StartAsync(c => c.Set("Gateway:Functions:echo:Timeout", "00:00:07"), time);
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("""{"name":"seed"}"""));

        using var next = await runtime.GetAsync("invocation/next").WaitAsync(Bound);
        var id = next.Headers.GetValues(LambdaRuntimeApiWire.RequestIdHeader).Single();
        using var reply = await runtime.PostAsync($"invocation/{id}/response", new StringContent("\"hello seed\""));
        var response = await invoked.WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("""{"name":"seed"}""", await next.Content.ReadAsStringAsync());
        Assert.Equal("application/json", next.Content.Headers.ContentType!.MediaType);
        Assert.Equal(time.GetUtcNow().AddSeconds(7).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), next.Headers.GetValues(LambdaRuntimeApiWire.DeadlineHeader).Single());
        Assert.Equal("arn:aws:lambda:cn-test:1234567890:function:echo", next.Headers.GetValues(LambdaRuntimeApiWire.FunctionArnHeader).Single());
        Assert.Matches("^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=[01]$", next.Headers.GetValues(LambdaRuntimeApiWire.TraceIdHeader).Single());
        Assert.False(next.Headers.Contains("x-fc-request-id"));
        Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, response.Headers.GetValues("X-Fc-Request-Id").Single());
        Assert.Equal("\"hello seed\"", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(null, "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=")]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "Root=1-0af76519-16cd43dd8448eb211c80319c;Parent=")]
    public async Task TheClientsXRayTrace_IsContinuedInTheTraceId_UnlessItSentATraceParent(string? traceParent, string traceIdStart)
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.Add("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
        if (traceParent is not null)
        {
            request.Headers.Add("traceparent", traceParent);
        }

        // A client of its own that never adds a traceparent: HttpClient adds one to every request while another test's
        // activity listener runs, which would decide the trace id instead of the X-Ray header.
        using var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = new Uri(gateway.Url) };
        var triggered = client.SendAsync(request);
        using var next = await runtime.GetAsync("invocation/next").WaitAsync(Bound);
        using var reply = await runtime.PostAsync($"invocation/{next.Headers.GetValues(LambdaRuntimeApiWire.RequestIdHeader).Single()}/response", new StringContent("{}"));
        await triggered.WaitAsync(Bound);

        Assert.StartsWith(traceIdStart, next.Headers.GetValues(LambdaRuntimeApiWire.TraceIdHeader).Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvocationApi_TakesTheLambdaVersionName_AsTheQualifier_OfALambdaFunctionOnly()
    {
        await using var lambda = await LambdaFunction.StartAsync();
        await using var fc = await PullFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(lambda.RuntimeApi());

        var invoked = lambda.Client.PostAsync(InvokePath + "?qualifier=%24LATEST", new StringContent("{}"));
        using var next = await runtime.GetAsync("invocation/next").WaitAsync(Bound);
        using var reply = await runtime.PostAsync($"invocation/{next.Headers.GetValues(LambdaRuntimeApiWire.RequestIdHeader).Single()}/response", new StringContent("\"ok\""));
        var notLambda = await fc.Client.PostAsync(InvokePath + "?qualifier=%24LATEST", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.OK, (await invoked.WaitAsync(Bound)).StatusCode);
        await ErrorPathTests.AssertGatewayErrorAsync(notLambda, HttpStatusCode.NotFound, "FunctionNotFound");
    }

    [Fact]
    public async Task AQualifierALambdaFunctionDoesNotHave_IsRefused_NamingTheVersionItRuns()
    {
        await using var gateway = await LambdaFunction.StartAsync();

        using var response = await gateway.Client.PostAsync("/2015-03-31/functions/echo:v2/invocations", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Function not found: arn:aws:lambda:cn-test:1234567890:function:echo:v2; its qualifier is $LATEST (or LATEST).",
            JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("Message").GetString());
    }

    /// <summary>
    /// Lambda passes <c>{}</c> to a function invoked with no payload: aws-lambda-go's handler then gets its event's zero
    /// value (an empty body failed it with <c>EOF</c>), Node's runtime client parses it (an empty one it cannot). An FC
    /// function keeps the body as it came, empty included.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InvocationApi_WithAnEmptyBody_GivesALambdaFunctionAnEmptyJsonObject(bool asynchronous)
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        using var request = new HttpRequestMessage(HttpMethod.Post, InvokePath) { Content = new ByteArrayContent([]) };
        if (asynchronous)
        {
            request.Headers.Add("x-fc-invocation-type", "Async");
        }

        var invoked = gateway.Client.SendAsync(request);
        using var next = await runtime.GetAsync("invocation/next").WaitAsync(Bound);
        var payload = await next.Content.ReadAsStringAsync();
        using var reply = await runtime.PostAsync($"invocation/{next.Headers.GetValues(LambdaRuntimeApiWire.RequestIdHeader).Single()}/response", new StringContent("null"));

        Assert.Equal("{}", payload);
        Assert.Equal(asynchronous ? HttpStatusCode.Accepted : HttpStatusCode.OK, (await invoked.WaitAsync(Bound)).StatusCode);
    }

    /// <summary>Lambda refuses a payload that is not JSON before any runtime client sees it; an FC function takes any bytes.</summary>
    [Theory]
    [InlineData("hello", false)]
    [InlineData("{\"a\":1} trailing", false)]
    [InlineData("{\"a\":", true)]
    public async Task InvocationApi_WithABodyThatIsNotJson_IsRefused400_ForALambdaFunction_NamingNoClientBytes(string body, bool asynchronous)
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, InvokePath) { Content = new StringContent(body) };
        if (asynchronous)
        {
            request.Headers.Add("x-fc-invocation-type", "Async");
        }

        using var response = await gateway.Client.SendAsync(request).WaitAsync(Bound);

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.BadRequest, "InvalidArgument");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = document.RootElement.GetProperty("errorMessage").GetString();
        Assert.StartsWith("The payload of a Lambda function's invocation must be JSON", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hello", error, StringComparison.Ordinal);
    }

    /// <summary>JSON is UTF-8: Lambda refuses a string whose bytes are not, which the JSON reader alone lets through.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InvocationApi_WithAStringThatIsNotUtf8_IsRefused400_ForALambdaFunction(bool asynchronous)
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, InvokePath) { Content = new ByteArrayContent([(byte)'[', (byte)'"', 0xFF, (byte)'"', (byte)']']) };
        if (asynchronous)
        {
            request.Headers.Add("x-fc-invocation-type", "Async");
        }

        using var response = await gateway.Client.SendAsync(request).WaitAsync(Bound);

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.BadRequest, "InvalidArgument");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(
            "The payload of a Lambda function's invocation must be JSON; it is not UTF-8 at byte 3.",
            document.RootElement.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task InvocationApi_WithABodyThatIsNotJson_ReachesAnFcFunctionUnchanged()
    {
        await using var gateway = await PullFunction.StartAsync();
        using var runtime = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/2020-11-11/runtime/invocation/"), Timeout = Bound };

        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("hello"));
        using var next = await runtime.GetAsync("next").WaitAsync(Bound);
        var payload = await next.Content.ReadAsStringAsync();
        using var reply = await runtime.PostAsync($"{next.Headers.GetValues("x-fc-request-id").Single()}/response", new StringContent("null"));

        Assert.Equal("hello", payload);
        Assert.Equal(HttpStatusCode.OK, (await invoked.WaitAsync(Bound)).StatusCode);
    }

    [Fact]
    public async Task InvocationApi_WithAnEmptyBody_GivesAnFcFunctionTheEmptyBody()
    {
        await using var gateway = await PullFunction.StartAsync();
        using var runtime = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/2020-11-11/runtime/invocation/"), Timeout = Bound };

        var invoked = gateway.Client.PostAsync(InvokePath, new ByteArrayContent([]));
        using var next = await runtime.GetAsync("next").WaitAsync(Bound);
        var payload = await next.Content.ReadAsByteArrayAsync();
        using var reply = await runtime.PostAsync($"{next.Headers.GetValues("x-fc-request-id").Single()}/response", new StringContent("null"));

        Assert.Empty(payload);
        Assert.Equal(HttpStatusCode.OK, (await invoked.WaitAsync(Bound)).StatusCode);
    }

    [Fact]
    public async Task AnError_Is202_ThroughATrigger502_ThroughTheInvocationApiTheErrorDocument()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        const string seedError = """{"errorMessage":"something went wrong!","errorType":"errorString"}""";

        var triggered = gateway.Client.GetAsync("/echo/");
        var triggerReply = await AnswerNextAsync(runtime, "error", seedError);
        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("{}"));
        var invokeReply = await AnswerNextAsync(runtime, "error", seedError);

        Assert.Equal(HttpStatusCode.Accepted, triggerReply);
        Assert.Equal(HttpStatusCode.Accepted, invokeReply);
        var invokeResponse = await FunctionErrorResponses.AssertAsync(triggered, invoked, Bound);
        Assert.Equal(seedError, await invokeResponse.Content.ReadAsStringAsync());
    }

    /// <remarks>
    /// The runtime clients label their error documents; one that does not still posted Lambda's JSON, which Lambda's
    /// Invoke labels as it labels the output (FC's invocation API labels neither).
    /// </remarks>
    [Fact]
    public async Task AnErrorDocument_PostedWithoutAContentType_IsJson_ThroughLambdasInvoke()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        const string document = """{"errorMessage":"boom","errorType":"errorString"}""";
        var invoked = gateway.Client.PostAsync("/2015-03-31/functions/echo/invocations", new StringContent("{}"));
        var id = await TakeNextAsync(runtime);

        using var reply = await runtime.PostAsync($"invocation/{id}/error", new ByteArrayContent(Encoding.UTF8.GetBytes(document)));
        var response = await invoked.WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
        Assert.Equal("Unhandled", response.Headers.GetValues("X-Amz-Function-Error").Single());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(document, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnError_WithTheXRayCauseHeaderOfALongMessage_Is202()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var longMessage = new string('m', 200 * 1024);
        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("{}"));
        var id = await TakeNextAsync(runtime);
        var error = new StringContent(JsonSerializer.Serialize(new { errorMessage = longMessage, errorType = "errorString" }), Encoding.UTF8, "application/json");
        error.Headers.Add("Lambda-Runtime-Function-Xray-Error-Cause", JsonSerializer.Serialize(new { exceptions = new[] { new { message = longMessage } } }));

        using var reply = await runtime.PostAsync($"invocation/{id}/error", error);
        var response = await invoked.WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
        Assert.Equal("UnhandledInvocationError", response.Headers.GetValues("X-Fc-Error-Type").Single());
    }

    [Fact]
    public async Task AnErrorWithoutABody_ButWithItsTypeHeader_GivesAnErrorDocumentOfThatType_AndIsLoggedWithIt()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());

        var triggered = gateway.Client.GetAsync("/echo/");
        var triggerReply = await AnswerWithATypedEmptyErrorAsync(runtime, "Runtime.ExitError");
        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("{}"));
        var invokeReply = await AnswerWithATypedEmptyErrorAsync(runtime, "Runtime.ExitError");

        Assert.Equal(HttpStatusCode.Accepted, triggerReply);
        Assert.Equal(HttpStatusCode.Accepted, invokeReply);
        var response = await FunctionErrorResponses.AssertAsync(triggered, invoked, Bound);
        Assert.Equal("Runtime.ExitError", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errorType").GetString());
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("(no body; error type Runtime.ExitError)"));
    }

    [Fact]
    public async Task AChunkedResponse_WithErrorTrailers_IsAFunctionError_CarryingTheDecodedErrorBody()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        const string error = """{"errorMessage":"stream broke","errorType":"Runtime.StreamError"}""";
        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("{}"));
        var id = await TakeNextAsync(runtime);

        var status = await LambdaFunction.PostChunkedWithTrailersAsync(
            gateway.RuntimeApi(), $"invocation/{id}/response", "{\"partial\":",
            (LambdaRuntimeApiWire.FunctionErrorType, "Runtime.StreamError"),
            (LambdaRuntimeApiWire.FunctionErrorBody, Convert.ToBase64String(Encoding.UTF8.GetBytes(error))));
        var response = await invoked.WaitAsync(Bound);

        Assert.Equal(202, status);
        Assert.Equal("UnhandledInvocationError", response.Headers.GetValues("X-Fc-Error-Type").Single());
        Assert.Equal(error, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AChunkedResponse_WithAnFunctionErrorTypeOnly_IsAFunctionErrorOfThatType()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("{}"));
        var id = await TakeNextAsync(runtime);

        await LambdaFunction.PostChunkedWithTrailersAsync(gateway.RuntimeApi(), $"invocation/{id}/response", "{}", (LambdaRuntimeApiWire.FunctionErrorType, "Runtime.Broken"));
        var response = await invoked.WaitAsync(Bound);

        Assert.Equal("UnhandledInvocationError", response.Headers.GetValues("X-Fc-Error-Type").Single());
        Assert.Equal("Runtime.Broken", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task AChunkedResponse_WithAMalformedTrailer_Is400_AndABadResponse()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("{}"));
        var id = await TakeNextAsync(runtime);

        var status = await LambdaFunction.PostChunkedWithTrailersAsync(
            gateway.RuntimeApi(), $"invocation/{id}/response", "{}", ("not a field name", "Runtime.X"));
        var response = await invoked.WaitAsync(Bound);

        Assert.Equal(400, status);
        Assert.Equal("InvalidResponseError", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task AChunkedResponse_WithAnnouncedButAbsentTrailers_IsTheOutput()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var triggered = gateway.Client.GetAsync("/echo/");
        var id = await TakeNextAsync(runtime);

        var status = await LambdaFunction.PostChunkedWithTrailersAsync(gateway.RuntimeApi(), $"invocation/{id}/response", """{"statusCode":201,"body":"streamed"}""");
        var response = await triggered.WaitAsync(Bound);

        Assert.Equal(202, status);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("streamed", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AStreamedFunctionUrlResponse_IsTakenWhole_ItsPreludeGivingStatusHeadersAndCookies()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var triggered = gateway.Client.GetAsync("/echo/");
        var id = await TakeNextAsync(runtime);
        var streamed = new ByteArrayContent([.. """{"statusCode":201,"headers":{"x-kind":"streamed"},"cookies":["a=b","c=d"]}"""u8, .. new byte[8], .. "chunk1chunk2"u8]);
        streamed.Headers.TryAddWithoutValidation("Content-Type", StreamedHttpResponse.ContentType);

        using var reply = await runtime.PostAsync($"invocation/{id}/response", streamed);
        var response = await triggered.WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("streamed", response.Headers.GetValues("x-kind").Single());
        Assert.Equal(["a=b", "c=d"], response.Headers.GetValues("Set-Cookie"));
        Assert.Equal("chunk1chunk2", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AStreamedResponseWithoutItsSeparator_IsTakenWith202_AndIsABadResponse()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var triggered = gateway.Client.GetAsync("/echo/");
        var id = await TakeNextAsync(runtime);
        var streamed = new ByteArrayContent("""{"statusCode":201}no separator"""u8.ToArray());
        streamed.Headers.TryAddWithoutValidation("Content-Type", StreamedHttpResponse.ContentType);

        using var reply = await runtime.PostAsync($"invocation/{id}/response", streamed);
        var response = await triggered.WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }

    [Fact]
    public async Task AReplyAfterItsInvocationTimedOut_Is410InvokeTimeout_AsLambdaAnswersIt()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await LambdaFunction.StartAsync(c => c.Set("Gateway:Functions:echo:Timeout", "00:00:10"), time);
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("{}"));
        var id = await TakeNextAsync(runtime);

        time.Advance(TimeSpan.FromSeconds(11));
        using var response = await invoked.WaitAsync(Bound);
        using var late = await runtime.PostAsync($"invocation/{id}/response", new StringContent("\"late\"")).WaitAsync(Bound);
        using var unknown = await runtime.PostAsync("invocation/never-handed-out/response", new StringContent("\"late\"")).WaitAsync(Bound);

        Assert.Equal("FunctionTimeoutError", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errorType").GetString());
        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        Assert.Equal("""{"errorMessage":"Invoke timeout","errorType":"InvokeTimeout"}""", await late.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    /// <remarks>
    /// An asynchronous invocation runs again under its request id; the runtime clients of 2026 echo the invocation id
    /// <c>next</c> gave them, so the late reply of the attempt that timed out is not taken for the next attempt's.
    /// </remarks>
    [Fact]
    public async Task AReplyEchoingAnEarlierAttemptsInvocationId_Is410_AndTheAttemptInFlightWaitsForItsOwn()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await LambdaFunction.StartAsync(c => c.Set("Gateway:Functions:echo:Timeout", "00:00:10"), time);
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/2015-03-31/functions/echo/invocations") { Content = new StringContent("{}") };
        request.Headers.Add("X-Amz-Invocation-Type", "Event");
        using var accepted = await gateway.Client.SendAsync(request).WaitAsync(Bound);

        using var first = await runtime.GetAsync("invocation/next").WaitAsync(Bound);
        var secondPoll = runtime.GetAsync("invocation/next");
        time.Advance(TimeSpan.FromSeconds(11));
        await Eventually.HoldsAsync(() =>
        {
            time.Advance(TimeSpan.FromSeconds(1));
            return secondPoll.IsCompleted;
        });
        using var second = await secondPoll;
        var id = second.Headers.GetValues(LambdaRuntimeApiWire.RequestIdHeader).Single();
        using var stale = await ReplyAsync(runtime, id, first.Headers.GetValues(LambdaRuntimeApiWire.InvocationIdHeader).Single());
        using var own = await ReplyAsync(runtime, id, second.Headers.GetValues(LambdaRuntimeApiWire.InvocationIdHeader).Single());

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(first.Headers.GetValues(LambdaRuntimeApiWire.RequestIdHeader).Single(), id);
        Assert.NotEqual(first.Headers.GetValues(LambdaRuntimeApiWire.InvocationIdHeader).Single(), second.Headers.GetValues(LambdaRuntimeApiWire.InvocationIdHeader).Single());
        Assert.Equal(HttpStatusCode.Gone, stale.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, own.StatusCode);
    }

    [Fact]
    public async Task AReplyWithAnInvocationId_ForAnInvocationNoPollTookYet_Is404_NotATimeout()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/2015-03-31/functions/echo/invocations") { Content = new StringContent("{}") };
        request.Headers.Add("X-Amz-Invocation-Type", "Event");
        using var accepted = await gateway.Client.SendAsync(request).WaitAsync(Bound);
        var id = accepted.Headers.GetValues("x-amzn-RequestId").Single();
        var mailbox = gateway.Services.GetRequiredService<FcGateway.Dispatch.Pull.RuntimeApiDirectory>().MailboxOf(PullFunction.Name);
        await Eventually.HoldsAsync(() => mailbox.QueuedInvocations == 1);

        using var early = await ReplyAsync(runtime, id, "an-id-never-handed-out");
        var next = await LambdaFunction.AnswerNextAsync(runtime, "\"ok\"");

        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Equal(id, next.Headers.GetValues(LambdaRuntimeApiWire.RequestIdHeader).Single());
    }

    private static async Task<HttpResponseMessage> ReplyAsync(HttpClient runtime, string id, string invocationId)
    {
        using var reply = new HttpRequestMessage(HttpMethod.Post, $"invocation/{id}/response") { Content = new StringContent("\"done\"") };
        reply.Headers.Add(LambdaRuntimeApiWire.InvocationIdHeader, invocationId);
        return await runtime.SendAsync(reply).WaitAsync(Bound);
    }

    [Fact]
    public async Task AStreamedReply_StillComingAtTheDeadline_IsATimeout()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await LambdaFunction.StartAsync(c => c.Set("Gateway:Functions:echo:Timeout", "00:00:10"), time);
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("{}"));
        var id = await TakeNextAsync(runtime);
        var invocation = gateway.Services.GetRequiredService<FcGateway.Dispatch.Pull.RuntimeApiDirectory>().Find(PullFunction.Name, id)!;

        using var stalled = await LambdaFunction.StartChunkedAsync(gateway.RuntimeApi(), $"invocation/{id}/response", "{\"partial\":");
        await Eventually.HoldsAsync(() => invocation.Output.WrittenCount > 0);
        time.Advance(TimeSpan.FromSeconds(11));
        var response = await invoked.WaitAsync(Bound);

        Assert.Equal("FunctionTimeoutError", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task InitError_Is202_AndFailsTheInvocationsWaitingAtTheAddress()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("{}"));
        var mailbox = gateway.Services.GetRequiredService<FcGateway.Dispatch.Pull.RuntimeApiDirectory>().MailboxOf(PullFunction.Name);
        await Eventually.HoldsAsync(() => mailbox.QueuedInvocations == 1);

        using var reported = await runtime.PostAsync("init/error", new StringContent("""{"errorMessage":"no config","errorType":"Runtime.InitError"}"""));
        var response = await invoked.WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.Accepted, reported.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("UnhandledInvocationError", response.Headers.GetValues("X-Fc-Error-Type").Single());
        Assert.Equal("""{"errorMessage":"no config","errorType":"Runtime.InitError"}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("", "Runtime.ExitError", "The function's process failed to initialize (its init/error had no body).", "Runtime.ExitError")]
    [InlineData("""{"errorMessage":"bad import"}""", "Runtime.ImportModuleError", "bad import", "Runtime.ImportModuleError")]
    [InlineData("""{"errorMessage":"bad import","errorType":"Runtime.UserCodeSyntaxError"}""", "Runtime.ImportModuleError", "bad import", "Runtime.UserCodeSyntaxError")]
    [InlineData("not a document", null, "not a document", "InitializationError")]
    public async Task InitError_TheWaitingInvocationGetsTheReportedMessageAndType(string body, string? typeHeader, string message, string type)
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("{}"));
        var mailbox = gateway.Services.GetRequiredService<FcGateway.Dispatch.Pull.RuntimeApiDirectory>().MailboxOf(PullFunction.Name);
        await Eventually.HoldsAsync(() => mailbox.QueuedInvocations == 1);
        using var initError = new HttpRequestMessage(HttpMethod.Post, "init/error") { Content = new StringContent(body) };
        if (typeHeader is not null)
        {
            initError.Headers.Add("Lambda-Runtime-Function-Error-Type", typeHeader);
        }

        using var reported = await runtime.SendAsync(initError);
        var document = JsonDocument.Parse(await (await invoked.WaitAsync(Bound)).Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.Accepted, reported.StatusCode);
        Assert.Equal(message, document.GetProperty("errorMessage").GetString());
        Assert.Equal(type, document.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task AnInitErrorThatStalls_FailsTheWaitingInvocations_OnceTheInitializationTimeoutPasses()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await LambdaFunction.StartAsync(c => c
            .Set("Gateway:Functions:echo:Timeout", "01:00:00")
            .Set("Gateway:Functions:echo:InitializationTimeout", "00:00:05"), time);
        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("{}"));
        var mailbox = gateway.Services.GetRequiredService<FcGateway.Dispatch.Pull.RuntimeApiDirectory>().MailboxOf(PullFunction.Name);
        await Eventually.HoldsAsync(() => mailbox.QueuedInvocations == 1);

        using var stalled = await LambdaFunction.StartChunkedAsync(gateway.RuntimeApi(), "init/error", "{\"errorMessage\":\"no config");
        await Eventually.HoldsAsync(async () =>
        {
            time.Advance(TimeSpan.FromSeconds(1));
            return await Task.WhenAny(invoked, Task.Delay(50)) == invoked;
        });

        var response = await invoked;
        Assert.Equal("UnhandledInvocationError", response.Headers.GetValues("X-Fc-Error-Type").Single());
        Assert.Contains("no config", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Which refusal a second reply gets depends on where the invocation is, so the test puts it there: while the first
    /// reply is still being read the invocation is in flight and the second is Lambda's invalid state transition (403);
    /// once the client has its answer the invocation has left the runtime API (it leaves before the answer is written),
    /// and a reply names no invocation (400; Lambda's runtime interface emulator, which keeps its one runtime's state,
    /// answers a second reply before the next poll 403 instead).
    /// </summary>
    [Fact]
    public async Task Replies_ForAnUnknownId_WhileOneIsRead_OrAfterTheInvocationEnded_AreRefused_WithLambdasStatuses()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var triggered = gateway.Client.GetAsync("/echo/");
        var id = await TakeNextAsync(runtime);
        var invocation = gateway.Services.GetRequiredService<FcGateway.Dispatch.Pull.RuntimeApiDirectory>().Find(PullFunction.Name, id)!;

        using var unknown = await runtime.PostAsync("invocation/1-00000000-000000000000000000000000/response", new StringContent("{}"));
        using var first = await LambdaFunction.StartChunkedAsync(gateway.RuntimeApi(), $"invocation/{id}/response", "\"fir");
        await Eventually.HoldsAsync(() => invocation.Output.WrittenCount > 0);
        using var whileTheFirstIsRead = await runtime.PostAsync($"invocation/{id}/error", new StringContent("{}"));
        var firstStatus = await LambdaFunction.FinishChunkedAsync(first, "st\"");
        var response = await triggered.WaitAsync(Bound);
        using var afterTheEnd = await runtime.PostAsync($"invocation/{id}/response", new StringContent("\"late\""));
        using var nobody = LambdaFunction.RuntimeClient(gateway.RuntimeApi("nobody"));
        using var unknownFunction = await nobody.PostAsync("init/error", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("InvalidRequestID", await ErrorTypeOfAsync(unknown));
        Assert.Equal(HttpStatusCode.Forbidden, whileTheFirstIsRead.StatusCode);
        Assert.Equal("InvalidStateTransition", await ErrorTypeOfAsync(whileTheFirstIsRead));
        Assert.Equal(202, firstStatus);
        Assert.Equal("\"first\"", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, afterTheEnd.StatusCode);
        Assert.Equal("InvalidRequestID", await ErrorTypeOfAsync(afterTheEnd));
        Assert.Equal(HttpStatusCode.NotFound, unknownFunction.StatusCode);
    }

    [Fact]
    public async Task AReplyOverTheResponseLimit_Is413_RequestEntityTooLarge_AndFailsTheInvocation()
    {
        await using var gateway = await LambdaFunction.StartAsync(c => c.Set("Gateway:Limits:MaxResponseBodyBytes", "1024"));
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var triggered = gateway.Client.GetAsync("/echo/");
        var id = await TakeNextAsync(runtime);

        using var refused = await runtime.PostAsync($"invocation/{id}/response", new StringContent(new string('o', 1025)));
        using var response = await triggered.WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Equal("RequestEntityTooLarge", await ErrorTypeOfAsync(refused));
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }

    [Theory]
    [InlineData("lambda", "2020-11-11", "fc")]
    [InlineData("fc", "2018-06-01", "lambda")]
    public async Task Polling_InTheOtherProtocol_Is404_OnceThePauseHasPassed_SayingWhichToConfigure_LoggedOnce(string declared, string polledVersion, string polled)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await PullFunction.StartAsync(c => c.Set("Gateway:Functions:echo:RuntimeApi", declared), time);
        using var runtime = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/{polledVersion}/runtime/invocation/") };

        for (var poll = 0; poll < 2; poll++)
        {
            var next = runtime.GetAsync("next");
            await Eventually.HoldsAsync(async () =>
            {
                time.Advance(RuntimeApiEndpoints.RefusedPollDelay);
                return await Task.WhenAny(next, Task.Delay(50)) == next;
            });

            using var refused = await next;
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Contains($"set the function's RuntimeApi to {polled}", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Single(gateway.Logs.Lines, line => line.Contains("is configured for the", StringComparison.Ordinal) && line.Contains("a worker polls it with", StringComparison.Ordinal));
    }

    /// <summary>Takes the next invocation and fails it with an empty error whose type only the header gives.</summary>
    private static async Task<HttpStatusCode> AnswerWithATypedEmptyErrorAsync(HttpClient runtime, string errorType)
    {
        var id = await TakeNextAsync(runtime);
        var error = new ByteArrayContent([]);
        error.Headers.Add(LambdaRuntimeApiWire.FunctionErrorType, errorType);
        using var reply = await runtime.PostAsync($"invocation/{id}/error", error);
        return reply.StatusCode;
    }

    /// <summary>Polls for the next invocation and returns its id.</summary>
    private static async Task<string> TakeNextAsync(HttpClient runtime)
    {
        using var next = await runtime.GetAsync("invocation/next").WaitAsync(Bound);
        return next.Headers.GetValues(LambdaRuntimeApiWire.RequestIdHeader).Single();
    }

    private static async Task<HttpStatusCode> AnswerNextAsync(HttpClient runtime, string reply, string body)
    {
        var id = await TakeNextAsync(runtime);
        using var answered = await runtime.PostAsync($"invocation/{id}/{reply}", new StringContent(body));
        return answered.StatusCode;
    }

    private static async Task<string?> ErrorTypeOfAsync(HttpResponseMessage refusal) =>
        JsonDocument.Parse(await refusal.Content.ReadAsStringAsync()).RootElement.GetProperty("errorType").GetString();
}
