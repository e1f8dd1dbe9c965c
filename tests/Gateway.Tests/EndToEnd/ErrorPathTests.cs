using System.Net;
using System.Text;
using System.Text.Json;
using FcGateway.Dispatch;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.EndToEnd;

public sealed class ErrorPathTests
{
    [Fact]
    public async Task FailingWorker_Returns502InternalServerError_AndLogsTheErrorBody()
    {
        const string errorBody = "{\"errorMessage\":\"something went wrong!\",\"errorType\":\"InvalidOperationException\",\"stackTrace\":[]}";
        await using var worker = await TestWorker.StartAsync((context, _) => TestWorker.Reply(context, 404, errorBody, fcStatus: "404"));
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await gateway.Client.GetAsync("/echo/");

        await AssertFunctionFailedAsync(response);
        var requestId = response.Headers.GetValues("X-Fc-Request-Id").Single();
        // The failure is logged as the request ends, which may be just after the client has the response.
        await Eventually.HoldsAsync(() => gateway.Logs.Lines.Any(line => line.Contains(requestId, StringComparison.Ordinal) && line.Contains("something went wrong!", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(200, "404")]
    [InlineData(404, null)]
    [InlineData(500, null)]
    [InlineData(503, "200")]
    [InlineData(200, "500")]
    public async Task WorkerFailureStatus_Returns502(int status, string? fcStatus)
    {
        await using var worker = await TestWorker.StartAsync((context, _) => TestWorker.Reply(context, status, "secret detail", fcStatus));
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await gateway.Client.GetAsync("/echo/");

        await AssertFunctionFailedAsync(response);
    }

    [Fact]
    public async Task WorkerStatusHeaderOnSeveralLines_OneOf404_Returns502()
    {
        await using var worker = await TestWorker.StartAsync((context, _) =>
        {
            context.Response.Headers["x-fc-status"] = new StringValues(["200", "404"]);
            return context.Response.WriteAsync("secret detail");
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await gateway.Client.GetAsync("/echo/");

        await AssertFunctionFailedAsync(response);
    }

    [Fact]
    public async Task CrashingWorker_AbortingTheConnection_Returns502()
    {
        await using var worker = await TestWorker.StartAsync((context, _) =>
        {
            context.Abort();
            return Task.CompletedTask;
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await gateway.Client.GetAsync("/echo/");

        await AssertFunctionFailedAsync(response);
    }

    [Fact]
    public async Task WorkerNotListening_Returns502()
    {
        using var dead = new RefusingAddress();
        var config = new GatewayConfiguration().WithFunction("echo", dead.Url);
        await using var gateway = await TestGateway.StartAsync(config.Values);

        var response = await gateway.Client.GetAsync("/echo/");

        await AssertFunctionFailedAsync(response);
    }

    [Fact]
    public async Task HangingWorker_PastTheFunctionTimeout_Returns502AndLogsTheTimeout()
    {
        var clock = new FakeTimeProvider();
        await using var worker = await HeldWorker.StartAsync();
        await using var gateway = await TestGateway.ForWorkerAsync(worker.Worker, configure: c => c.Set("Gateway:Functions:echo:Timeout", "00:01:00"), timeProvider: clock);

        var call = gateway.Client.GetAsync("/echo/");
        await worker.Invoked;
        clock.Advance(TimeSpan.FromMinutes(1));
        var response = await call;
        worker.Release();

        await AssertFunctionFailedAsync(response);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("Function time out after 60 seconds."));
    }

    /// <summary>
    /// A function whose own deadline fired (the SDKs cancel its context at the deadline the invocation's headers give, or
    /// at their own count of the timeout) answers with an error just as its time is up; the gateway's timer, late on a
    /// loaded machine, has not fired yet. Timers count whole milliseconds, so a worker's may fire a little before the
    /// gateway's count has run out: an error within <see cref="FunctionDeadline.TimerGranularity"/> of it is a timeout too,
    /// one well before it the function's own.
    /// </summary>
    [Theory]
    [InlineData(0, true)]
    [InlineData(10, true)]
    [InlineData(1000, false)]
    public async Task AFunctionErrorThatComesOnceTheTimeIsUp_IsATimeout(int millisecondsBeforeTheTimeout, bool isATimeout)
    {
        var clock = new LateTimersClock();
        await using var worker = await HeldWorker.StartAsync(500, """{"errorMessage":"context deadline exceeded"}""", fcStatus: null);
        await using var gateway = await TestGateway.ForWorkerAsync(worker.Worker, configure: c => c.Set("Gateway:Functions:echo:Timeout", "00:01:00"), timeProvider: clock);

        var call = gateway.Client.GetAsync("/echo/");
        await worker.Invoked;
        clock.Advance(TimeSpan.FromMinutes(1) - TimeSpan.FromMilliseconds(millisecondsBeforeTheTimeout));
        worker.Release();
        var response = await call;

        await AssertFunctionFailedAsync(response);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains(isATimeout ? "Function time out after 60 seconds." : "context deadline exceeded"));
        Assert.Equal(isATimeout, gateway.Logs.Contains("Function time out after"));
    }

    [Theory]
    [InlineData("{\"statusCode\": 999, \"body\": \"x\"}")]
    [InlineData("{\"statusCode\": \"200\", \"body\": \"x\"}")]
    [InlineData("{\"statusCode\": 200.5}")]
    public async Task GarbageOutput_WithInvalidStatusCode_Returns502(string output)
    {
        await using var worker = await TestWorker.ReturningAsync(output);
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await gateway.Client.GetAsync("/echo/");

        await AssertFunctionFailedAsync(response);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("The function's statusCode must be"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OutputOverTheResponseLimit_Returns502(bool lengthDeclared)
    {
        var output = new string('x', 1025);
        await using var worker = await TestWorker.StartAsync((context, _) =>
        {
            context.Response.ContentLength = lengthDeclared ? output.Length : null;
            return TestWorker.Reply(context, 200, output, fcStatus: "200");
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:Limits:MaxResponseBodyBytes", "1024"));

        var response = await gateway.Client.GetAsync("/echo/");

        await AssertFunctionFailedAsync(response);
    }

    [Fact]
    public async Task WorkerDeclaringMoreOutputThanItSends_Returns502_AndTheGatewayKeepsServing()
    {
        var calls = 0;
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            if (Interlocked.Increment(ref calls) > 1)
            {
                await TestWorker.Reply(context, 200, """{"statusCode":200,"body":"fine"}""", fcStatus: "200");
                return;
            }

            context.Response.ContentLength = 500_000;
            await context.Response.Body.WriteAsync("abc"u8.ToArray());
            await context.Response.Body.FlushAsync();
            context.Abort();
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var broken = await gateway.Client.GetAsync("/echo/");
        var next = await gateway.Client.GetAsync("/echo/");

        await AssertFunctionFailedAsync(broken);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("fine", await next.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ResponseHeadersOverTheLimit_AfterOtherHeaders_Returns502WithoutAnyOfTheFunctionsHeaders()
    {
        // The first headers are taken before the last one turns out to exceed the limit, and include names an error
        // response may carry of its own.
        var output = "{\"statusCode\":200,\"headers\":{\"X-Leak\":\"1\",\"WWW-Authenticate\":\"Basic\",\"Allow\":\"GET\"," +
            $"\"Vary\":\"Cookie\",\"Access-Control-Allow-Origin\":\"*\",\"X-Big\":\"{new string('h', 9000)}\"}},\"body\":\"x\"}}";
        await using var worker = await TestWorker.ReturningAsync(output);
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await gateway.Client.GetAsync("/echo/");

        await AssertFunctionFailedAsync(response);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("response headers exceed"));
        var names = response.Headers.Concat(response.Content.Headers).Select(h => h.Key).ToList();
        Assert.All(["X-Big", "X-Leak", "WWW-Authenticate", "Allow", "Vary", "Access-Control-Allow-Origin"], name => Assert.DoesNotContain(name, names, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task BodyOverTheLimit_WithContentLength_Returns400EntityTooLarge_WithoutInvokingTheWorker()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:Limits:MaxRequestBodyBytes", "1024"));

        var response = await gateway.Client.PostAsync("/echo/", new ByteArrayContent(new byte[1025]));

        await AssertGatewayErrorAsync(response, HttpStatusCode.BadRequest, "EntityTooLarge");
        Assert.Empty(worker.Received);
    }

    [Fact]
    public async Task BodyOverTheLimit_OnAKeepAliveConnection_SaysTheConnectionCloses()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:Limits:MaxRequestBodyBytes", "1024"));

        // The server closes the connection after this answer rather than read the rest of the body: a keep-alive client
        // told nothing would send its next request down it and lose that request.
        var response = await RawHttp.SendAsync(gateway.Url, "POST /echo/ HTTP/1.1\nHost: test\nConnection: keep-alive\nContent-Length: 1025\n\n", new byte[512]);

        Assert.Equal(400, response.StatusCode);
        Assert.Contains("\"errorCode\":\"EntityTooLarge\"", response.Body, StringComparison.Ordinal);
        Assert.Equal("close", response.Header("Connection"));
    }

    [Fact]
    public async Task BodyOverTheLimit_Chunked_Returns400EntityTooLarge()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:Limits:MaxRequestBodyBytes", "1024"));
        var chunk = new string('a', 600);
        var body = Encoding.ASCII.GetBytes($"258\r\n{chunk}\r\n258\r\n{chunk}\r\n0\r\n\r\n");

        var response = await RawHttp.SendAsync(gateway.Url, "POST /echo/ HTTP/1.1\nHost: test\nTransfer-Encoding: chunked\nContent-Type: text/plain\n\n", body);

        Assert.Equal(400, response.StatusCode);
        Assert.Contains("\"errorCode\":\"EntityTooLarge\"", response.Body, StringComparison.Ordinal);
        Assert.NotNull(response.Header("X-Fc-Request-Id"));
        Assert.Empty(worker.Received);
    }

    [Fact]
    public async Task BodyAtTheDefaultLimit_IsAccepted_AboveKestrelsOwnDefault()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await gateway.Client.PostAsync("/echo/", new ByteArrayContent(new byte[31 * 1024 * 1024]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task UnknownRoute_Returns404FunctionNotFound()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await gateway.Client.GetAsync("/nothing-here/file.js");

        await AssertGatewayErrorAsync(response, HttpStatusCode.NotFound, "FunctionNotFound");
    }

    [Fact]
    public async Task HeadersOverTheLimit_Return400InvalidArgument()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.Add("X-Large", new string('v', 9000));

        var response = await gateway.Client.SendAsync(request);

        await AssertGatewayErrorAsync(response, HttpStatusCode.BadRequest, "InvalidArgument");
        Assert.Empty(worker.Received);
    }

    [Fact]
    public async Task PathAndQueryOverTheLimit_Return400InvalidArgument()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await gateway.Client.GetAsync("/echo/?q=" + new string('q', 4200));

        await AssertGatewayErrorAsync(response, HttpStatusCode.BadRequest, "InvalidArgument");
    }

    [Theory]
    [InlineData("/echo/?q=", 4096, 200)]
    [InlineData("/echo/?q=", 4097, 400)]
    [InlineData("http://a.example/echo/?q=", 4096, 200)]
    [InlineData("http://a.example/echo/?q=", 4097, 400)]
    public async Task PathAndQuery_AtTheLimitPass_OneByteOverIs400_AnAbsoluteTargetsSchemeAndHostNotCounted(string start, int pathAndQueryBytes, int status)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        await using var connection = await Attacks.RawConnection.OpenAsync(gateway.Url);
        var prefix = start.StartsWith('/') ? 0 : start.IndexOf("/echo", StringComparison.Ordinal);
        var target = start + new string('q', pathAndQueryBytes - (start.Length - prefix));

        await connection.SendAsync($"GET {target} HTTP/1.1\r\nHost: a.example\r\n\r\n");
        var response = await connection.ReadResponseAsync();

        Assert.Equal(status, response?.StatusCode);
    }

    [Theory]
    [InlineData(4086, 200)]
    [InlineData(4087, 400)]
    public async Task HeadersOfNonAsciiText_AreCountedInBytesOfUtf8_AtTheLimitTheyPass_OneByteOverIs400(int characters, int status)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        await using var connection = await Attacks.RawConnection.OpenAsync(gateway.Url);
        // "Host" + "a.example" + "X-Large" is 20 bytes; each 'é' is two bytes of UTF-8, so 4086 of them make 8192 bytes
        // in all, while the characters alone (4106) stay far under the limit.
        var value = new string('é', characters);

        await connection.SendAsync(Encoding.UTF8.GetBytes($"GET /echo/ HTTP/1.1\r\nHost: a.example\r\nX-Large: {value}\r\n\r\n"));
        var response = await connection.ReadResponseAsync();

        Assert.Equal(status, response?.StatusCode);
        if (status == 400)
        {
            Assert.Contains("\"errorCode\":\"InvalidArgument\"", response!.Body, StringComparison.Ordinal);
            Assert.Empty(worker.Received);
        }
    }

    [Fact]
    public async Task UnsupportedMethod_Returns400InvalidArgument()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await gateway.Client.SendAsync(new HttpRequestMessage(new HttpMethod("PROPFIND"), "/echo/"));

        await AssertGatewayErrorAsync(response, HttpStatusCode.BadRequest, "InvalidArgument");
    }

    [Fact]
    public async Task ClusterWithoutDestinations_Returns503ResourceThrottled()
    {
        var config = new GatewayConfiguration()
            .Set("ReverseProxy:Routes:echo:ClusterId", "echo")
            .Set("ReverseProxy:Routes:echo:Match:Path", "/echo/{**rest}")
            .Set("ReverseProxy:Routes:echo:Metadata:FunctionName", "echo")
            .Set("ReverseProxy:Clusters:echo:LoadBalancingPolicy", "RoundRobin");
        await using var gateway = await TestGateway.StartAsync(config.Values);

        var response = await gateway.Client.GetAsync("/echo/");

        await AssertGatewayErrorAsync(response, HttpStatusCode.ServiceUnavailable, "ResourceThrottled");
    }

    [Fact]
    public async Task ContentDispositionAttachment_WhenEnabled_IsOnSuccessAndErrors()
    {
        await using var worker = await TestWorker.ReturningAsync("Hello World!");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:ContentDispositionAttachment", "true"));

        var success = await gateway.Client.GetAsync("/echo/");
        var notFound = await gateway.Client.GetAsync("/missing");

        Assert.Equal("attachment", success.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("attachment", notFound.Content.Headers.ContentDisposition?.DispositionType);
    }

    internal static async Task AssertFunctionFailedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("Internal Server Error", await response.Content.ReadAsStringAsync());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches("^1-[0-9a-f]{8}-[0-9a-f]{24}$", response.Headers.GetValues("X-Fc-Request-Id").Single());
    }

    internal static async Task AssertGatewayErrorAsync(HttpResponseMessage response, HttpStatusCode status, string errorCode)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(errorCode, body.RootElement.GetProperty("errorCode").GetString());
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("errorMessage").GetString()));
        Assert.Single(response.Headers.GetValues("X-Fc-Request-Id"));
    }
}
