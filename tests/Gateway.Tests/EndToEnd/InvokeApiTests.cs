using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FcWorker;
using FcWorker.Samples.Functions;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Gateway.Tests.EndToEnd;

public sealed class InvokeApiTests
{
    private const string Token = "test-token-0123456789abcdef";

    [Fact]
    public async Task Invoke_PassesTheBodyUnchanged_AndReturnsTheOutputWith200()
    {
        await using var worker = await TestWorker.ReturningAsync("{\"statusCode\":201,\"body\":\"not translated\"}");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        var payload = new byte[] { 0, 1, 2, 0xff, (byte)'{' };

        var response = await gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new ByteArrayContent(payload));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"statusCode\":201,\"body\":\"not translated\"}", await response.Content.ReadAsStringAsync());
        var received = Assert.Single(worker.Received);
        Assert.Equal("/invoke", received.Path);
        Assert.Equal(payload, received.Body);
        Assert.Equal("echo", received.Header("x-fc-function-name"));
        Assert.Equal(response.Headers.GetValues("X-Fc-Request-Id").Single(), received.Header("x-fc-request-id"));
    }

    [Theory]
    [InlineData(200_000, null)]
    [InlineData(1024, "1024")]
    [InlineData(0, null)]
    public async Task Invoke_AnOutputOfDeclaredLength_ComesBackWhole_UpToTheLimitExactly(int length, string? limit)
    {
        var output = string.Concat(Enumerable.Range(0, length / 8).Select(i => i.ToString("x7", System.Globalization.CultureInfo.InvariantCulture) + ";"));
        await using var worker = await TestWorker.StartAsync((context, _) =>
        {
            context.Response.ContentLength = length;
            return TestWorker.Reply(context, 200, output, fcStatus: "200");
        });
        await using var gateway = await TestGateway.ForWorkerAsync(
            worker, configure: c => { if (limit is not null) { c.Set("Gateway:Limits:MaxResponseBodyBytes", limit); } });

        var response = await gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Fc-Error-Type"));
        Assert.Equal(length, output.Length);
        Assert.Equal(output, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Invoke_TheSeedStructEvent_ThroughTheSdkSample_SaysHelloValue()
    {
        await using var sample = FunctionWorker.Create(["--urls", "http://127.0.0.1:0"], EventStructFunction.Handle);
        await sample.StartAsync();
        var config = new GatewayConfiguration().WithFunction("event-struct", sample.Url.ToString());
        await using var gateway = await TestGateway.StartAsync(config.Values);

        var response = await gateway.Client.PostAsync("/2023-03-30/functions/event-struct/invocations", new StringContent("{\"key\":\"value\"}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello, value!", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FunctionError_Returns200_WithTheErrorBody_AndUnhandledInvocationError()
    {
        const string errorBody = "{\"errorMessage\":\"something went wrong!\",\"errorType\":\"InvalidOperationException\"}";
        await using var worker = await TestWorker.StartAsync((context, _) => TestWorker.Reply(context, 404, errorBody, "404"));
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("UnhandledInvocationError", response.Headers.GetValues("X-Fc-Error-Type").Single());
        Assert.Equal(errorBody, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(null, "application/octet-stream")]
    [InlineData("text/plain; charset=utf-8", "text/plain")]
    [InlineData("application/json", "application/json")]
    public async Task FunctionError_TheWorkersErrorBody_KeepsTheWorkersContentType(string? workerContentType, string expected)
    {
        using var worker = new ScriptedWorker();
        var reply = Response.Create().WithStatusCode(500).WithBody("oops-500");
        worker.Given(Request.Create().WithPath("/invoke")).RespondWith(workerContentType is null ? reply : reply.WithHeader("Content-Type", workerContentType));
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var invoked = await gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.OK, invoked.StatusCode);
        Assert.Equal("UnhandledInvocationError", invoked.Headers.GetValues("X-Fc-Error-Type").Single());
        Assert.Equal(expected, invoked.Content.Headers.ContentType!.MediaType);
        Assert.Equal("oops-500", await invoked.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FunctionError_WithAnEmptyBody_Returns200_WithAnErrorDocument_AndATrigger502()
    {
        using var worker = new ScriptedWorker();
        worker.Given(Request.Create().WithPath("/invoke")).RespondWith(Response.Create().WithStatusCode(500));
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var invoked = await gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("{}"));
        var triggered = await gateway.Client.GetAsync("/echo/");

        Assert.Equal(HttpStatusCode.OK, invoked.StatusCode);
        Assert.Equal("UnhandledInvocationError", invoked.Headers.GetValues("X-Fc-Error-Type").Single());
        Assert.Equal("application/json", invoked.Content.Headers.ContentType!.MediaType);
        using var error = JsonDocument.Parse(await invoked.Content.ReadAsStringAsync());
        Assert.Equal("UnknownError", error.RootElement.GetProperty("errorType").GetString());
        Assert.Equal("The function failed (HTTP 500).", error.RootElement.GetProperty("errorMessage").GetString());
        Assert.Equal(HttpStatusCode.BadGateway, triggered.StatusCode);
        Assert.Equal("Internal Server Error", await triggered.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FunctionTimeout_Returns200_WithATimeoutErrorBody()
    {
        var clock = new FakeTimeProvider();
        var invoked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            invoked.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:Functions:echo:Timeout", "00:01:00"), timeProvider: clock);

        var call = gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("{}"));
        await invoked.Task;
        clock.Advance(TimeSpan.FromMinutes(1));
        var response = await call;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("UnhandledInvocationError", response.Headers.GetValues("X-Fc-Error-Type").Single());
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("FunctionTimeoutError", error.RootElement.GetProperty("errorType").GetString());
        Assert.Contains("Function time out after 60 seconds.", error.RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownFunction_Returns404FunctionNotFound()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await gateway.Client.PostAsync("/2023-03-30/functions/missing/invocations", new StringContent("{}"));

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.NotFound, "FunctionNotFound");
    }

    /// <summary>
    /// FC 3.0's API answers an error as its <c>Error</c> structure, <c>{"Code","Message","RequestId"}</c>, which FC's SDKs
    /// read (<c>@alicloud/openapi-client</c> makes <c>e.code</c> of <c>Code</c>); the gateway's refusals of InvokeFunction
    /// carry those beside FC's <c>errorCode</c> and <c>errorMessage</c>, refusals made before routing included.
    /// </summary>
    [Theory]
    [InlineData("an unknown function", HttpStatusCode.NotFound, "FunctionNotFound")]
    [InlineData("no function name", HttpStatusCode.NotFound, "FunctionNotFound")]
    [InlineData("another qualifier", HttpStatusCode.NotFound, "FunctionNotFound")]
    [InlineData("another method", HttpStatusCode.MethodNotAllowed, "AccessDenied")]
    [InlineData("an unsupported header", HttpStatusCode.BadRequest, "InvalidArgument")]
    [InlineData("a body over the limit", HttpStatusCode.BadRequest, "EntityTooLarge")]
    public async Task ARefusal_CarriesFc3ApisErrorFields_ThatFcsSdksRead(string kind, HttpStatusCode status, string errorCode)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:Limits:MaxRequestBodyBytes", "1024"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/2023-03-30/functions/echo/invocations") { Content = new StringContent("{}") };
        switch (kind)
        {
            case "an unknown function": request.RequestUri = new Uri("/2023-03-30/functions/missing/invocations", UriKind.Relative); break;
            case "no function name": request.RequestUri = new Uri("/2023-03-30/functions//invocations", UriKind.Relative); break;
            case "another qualifier": request.RequestUri = new Uri("/2023-03-30/functions/echo/invocations?qualifier=v9", UriKind.Relative); break;
            case "another method": request.Method = HttpMethod.Get; request.Content = null; break;
            case "an unsupported header": request.Headers.Add("x-fc-invocation-type", "Later"); break;
            default: request.Content = new StringContent(new string('x', 2048)); break;
        }

        var response = await gateway.Client.SendAsync(request);

        await ErrorPathTests.AssertGatewayErrorAsync(response, status, errorCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(errorCode, body.RootElement.GetProperty("Code").GetString());
        Assert.Equal(body.RootElement.GetProperty("errorMessage").GetString(), body.RootElement.GetProperty("Message").GetString());
        Assert.Equal(response.Headers.GetValues("X-Fc-Request-Id").Single(), body.RootElement.GetProperty("RequestId").GetString());
        Assert.Empty(worker.Received);
    }

    [Fact]
    public async Task ATriggersRefusal_KeepsFcsErrorBodyAlone()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await gateway.Client.GetAsync("/no-such-function");

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.NotFound, "FunctionNotFound");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["errorCode", "errorMessage"], body.RootElement.EnumerateObject().Select(property => property.Name));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task AnotherMethod_Returns405_AllowingPost_WithoutInvoking(string method)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        using var request = new HttpRequestMessage(new HttpMethod(method), "/2023-03-30/functions/echo/invocations");

        var response = await gateway.Client.SendAsync(request);

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.MethodNotAllowed, "AccessDenied");
        Assert.Equal("POST", Assert.Single(response.Content.Headers.Allow));
        Assert.Empty(worker.Received);
    }

    [Fact]
    public async Task AnotherMethod_WhenTheApiIsSwitchedOff_Returns404LikePost()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:InvokeApi:Enabled", "false"));

        var response = await gateway.Client.GetAsync("/2023-03-30/functions/echo/invocations");

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.NotFound, "FunctionNotFound");
        Assert.Empty(response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("x-fc-invocation-type", "Later", "Sync or Async")]
    [InlineData("x-fc-log-type", "Everything", "None or Tail, not 'Everything'")]
    public async Task UnsupportedHeaders_Return400InvalidArgument_WithoutInvoking(string header, string value, string message)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/2023-03-30/functions/echo/invocations") { Content = new StringContent("{}") };
        request.Headers.Add(header, value);

        var response = await gateway.Client.SendAsync(request);

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.BadRequest, "InvalidArgument");
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(worker.Received);
    }

    [Fact]
    public async Task SyncAndTailHeaders_AreAccepted_EvenWhereClientFcHeadersAreRefused()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:RejectClientFcHeaders", "true"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/2023-03-30/functions/echo/invocations") { Content = new StringContent("{}") };
        request.Headers.Add("x-fc-invocation-type", "Sync");
        request.Headers.Add("x-fc-log-type", "Tail");

        var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(Assert.Single(worker.Received).Header("x-fc-log-type"));
    }

    [Fact]
    public async Task BearerTokens_AreRequiredWhenConfigured()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:InvokeApi:BearerTokens:0", Token));

        var missing = await gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("{}"));
        var wrong = await SendWithTokenAsync(gateway, "wrong-token");
        var right = await SendWithTokenAsync(gateway, Token);

        await ErrorPathTests.AssertGatewayErrorAsync(missing, HttpStatusCode.Unauthorized, "AccessDenied");
        await ErrorPathTests.AssertGatewayErrorAsync(wrong, HttpStatusCode.Unauthorized, "AccessDenied");
        Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.ToString());
        Assert.Equal("Bearer error=\"invalid_token\"", wrong.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Single(worker.Received);
        Assert.DoesNotContain(Token, await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SwitchedOff_Returns404()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:InvokeApi:Enabled", "false"));

        var response = await gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("{}"));

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.NotFound, "FunctionNotFound");
        Assert.Empty(worker.Received);
    }

    [Theory]
    [InlineData("LATEST", HttpStatusCode.OK)]
    [InlineData("latest", HttpStatusCode.OK)]
    [InlineData("prod", HttpStatusCode.NotFound)]
    public async Task Qualifier_MustBeTheFunctionsQualifier(string qualifier, HttpStatusCode expected)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await gateway.Client.PostAsync($"/2023-03-30/functions/echo/invocations?qualifier={qualifier}", new StringContent("{}"));

        Assert.Equal(expected, response.StatusCode);
    }

    private static Task<HttpResponseMessage> SendWithTokenAsync(TestGateway gateway, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/2023-03-30/functions/echo/invocations") { Content = new StringContent("{}", Encoding.UTF8) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return gateway.Client.SendAsync(request);
    }
}
