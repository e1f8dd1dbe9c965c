using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using FcGateway.Edge.InvokeApi;
using FcGateway.RuntimeApi;
using Gateway.Tests.EndToEnd;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.RuntimeApi;

/// <summary>AWS Lambda's Invoke (<c>POST /2015-03-31/functions/{FunctionName}/invocations</c>), as the AWS CLI and SDKs call it.</summary>
public sealed class LambdaInvokeApiTests
{
    private const string InvokePath = "/2015-03-31/functions/echo/invocations";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("echo", "")]
    [InlineData("echo:$LATEST", ":$LATEST")]
    [InlineData("echo?Qualifier=$LATEST", ":$LATEST")]
    [InlineData("arn:aws:lambda:cn-test:1234567890:function:echo", "")]
    [InlineData("arn:aws:lambda:cn-test:1234567890:function:echo:$LATEST", ":$LATEST")]
    [InlineData("1234567890:function:echo", "")]
    public async Task RequestResponse_RunsTheFunctionItsNameNames_AndAnswersItsOutput_AsLambdaDoes(string functionName, string invokedArnQualifier)
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var invoked = InvokeByNameAsync(gateway, functionName, """{"name":"seed"}""");

        var next = await LambdaFunction.AnswerNextAsync(runtime, "\"hello seed\"");
        using var response = await invoked.WaitAsync(Bound);
        var id = next.Headers.GetValues(LambdaRuntimeApiWire.RequestIdHeader).Single();

        Assert.Equal("""{"name":"seed"}""", next.Payload);
        Assert.Equal("arn:aws:lambda:cn-test:1234567890:function:echo" + invokedArnQualifier, next.Headers.GetValues(LambdaRuntimeApiWire.FunctionArnHeader).Single());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"hello seed\"", await response.Content.ReadAsStringAsync());
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("$LATEST", response.Headers.GetValues("X-Amz-Executed-Version").Single());
        Assert.Equal(id, response.Headers.GetValues("x-amzn-RequestId").Single());
        Assert.Equal(id, response.Headers.GetValues("X-Fc-Request-Id").Single());
        Assert.False(response.Headers.Contains("X-Amz-Function-Error"));
    }

    [Theory]
    [InlineData("echo:live")]
    [InlineData("echo:LIVE")]
    [InlineData("echo?Qualifier=Live")]
    public async Task TheFunctionsConfiguredQualifier_EndsItsInvokedArn_AsTheFunctionSpellsIt(string qualifiedName)
    {
        await using var gateway = await LambdaFunction.StartAsync(config => config.Set($"Gateway:Functions:{PullFunction.Name}:Qualifier", "Live"));
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var invoked = InvokeByNameAsync(gateway, qualifiedName, "{}");

        var next = await LambdaFunction.AnswerNextAsync(runtime, "{}");
        using var response = await invoked.WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("arn:aws:lambda:cn-test:1234567890:function:echo:Live", next.Headers.GetValues(LambdaRuntimeApiWire.FunctionArnHeader).Single());
    }

    [Fact]
    public async Task AFunctionError_Is200_WithTheErrorDocument_AndXAmzFunctionErrorUnhandled()
    {
        const string error = """{"errorMessage":"something went wrong!","errorType":"errorString"}""";
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("{}"));

        await LambdaFunction.AnswerNextAsync(runtime, error, "error");
        using var response = await invoked.WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Unhandled", response.Headers.GetValues("X-Amz-Function-Error").Single());
        Assert.Equal(error, await response.Content.ReadAsStringAsync());
        Assert.Equal("$LATEST", response.Headers.GetValues("X-Amz-Executed-Version").Single());
    }

    [Fact]
    public async Task ATimeout_Is200_WithLambdasSandboxTimedoutDocument_AndXAmzFunctionErrorUnhandled()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await LambdaFunction.StartAsync(c => c.Set("Gateway:Functions:echo:Timeout", "00:00:03"), time);
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("{}"));

        using var next = await runtime.GetAsync("invocation/next").WaitAsync(Bound);
        time.Advance(TimeSpan.FromSeconds(4));
        using var response = await invoked.WaitAsync(Bound);

        var id = next.Headers.GetValues(LambdaRuntimeApiWire.RequestIdHeader).Single();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Unhandled", response.Headers.GetValues("X-Amz-Function-Error").Single());
        Assert.Equal(
            $$"""{"errorMessage":"RequestId: {{id}} Error: Task timed out after 3.00 seconds","errorType":"Sandbox.Timedout"}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Event_IsAnswered202AtOnce_AndTheFunctionRunsAfterwards_UnderTheArnItWasInvokedBy()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        using var request = new HttpRequestMessage(HttpMethod.Post, InvokePath + "?Qualifier=$LATEST") { Content = new StringContent("""{"later":true}""") };
        request.Headers.Add("X-Amz-Invocation-Type", "Event");

        using var response = await gateway.Client.SendAsync(request);
        using var next = await runtime.GetAsync("invocation/next").WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(response.Headers.GetValues("x-amzn-RequestId").Single(), next.Headers.GetValues(LambdaRuntimeApiWire.RequestIdHeader).Single());
        Assert.Equal("""{"later":true}""", await next.Content.ReadAsStringAsync());
        Assert.EndsWith(":function:echo:$LATEST", next.Headers.GetValues(LambdaRuntimeApiWire.FunctionArnHeader).Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 3)] // Lambda's default: two retries
    [InlineData("0", 1)]
    public async Task AnEventInvocationThatFailsEveryTime_RunsAgainAsOftenAsLambdaRetries_UnlessConfigured(string? retryAttempts, int attempts)
    {
        var time = new WatchedTimeProvider();
        await using var gateway = await LambdaFunction.StartAsync(c => c.Set("Gateway:InvokeApi:AsyncRetryAttempts", retryAttempts), time);
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        using var request = new HttpRequestMessage(HttpMethod.Post, InvokePath) { Content = new StringContent("{}") };
        request.Headers.Add("X-Amz-Invocation-Type", "Event");
        using var response = await gateway.Client.SendAsync(request).WaitAsync(Bound);
        var requestId = response.Headers.GetValues("x-amzn-RequestId").Single();

        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            await LambdaFunction.AnswerNextAsync(runtime, """{"errorMessage":"no","errorType":"Failed"}""", "error");
            if (attempt < attempts)
            {
                await time.TimerSet(AsyncRetryPolicy.RetryDelay(attempt));
                time.Advance(AsyncRetryPolicy.RetryDelay(attempt));
            }
        }

        await Eventually.HoldsAsync(() => gateway.Logs.Contains($"Asynchronous invocation {requestId} of function echo failed after {attempts} attempt(s): function_error"));
    }

    [Fact]
    public async Task TheClientContext_ReachesTheFunction_AsJsonInLambdaRuntimeClientContext()
    {
        const string clientContext = """{"custom":{"tenant":"a"},"env":{"locale":"en"}}""";
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        using var request = new HttpRequestMessage(HttpMethod.Post, InvokePath) { Content = new StringContent("{}") };
        request.Headers.Add("X-Amz-Invocation-Type", "RequestResponse");
        request.Headers.Add("X-Amz-Client-Context", Convert.ToBase64String(Encoding.UTF8.GetBytes(clientContext)));
        var invoked = gateway.Client.SendAsync(request);

        var next = await LambdaFunction.AnswerNextAsync(runtime, "{}");
        using var response = await invoked.WaitAsync(Bound);

        Assert.Equal(clientContext, next.Headers.GetValues(LambdaRuntimeApiWire.ClientContextHeader).Single());
        Assert.True(response.IsSuccessStatusCode);
    }

    [Fact]
    public async Task AnEventInvocation_HandsTheFunctionNoClientContext_AsLambdaPassesItToSynchronousInvocationsOnly()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        using var request = new HttpRequestMessage(HttpMethod.Post, InvokePath) { Content = new StringContent("{}") };
        request.Headers.Add("X-Amz-Invocation-Type", "Event");
        request.Headers.Add("X-Amz-Client-Context", Convert.ToBase64String("""{"custom":{"tenant":"a"}}"""u8));
        using var response = await gateway.Client.SendAsync(request).WaitAsync(Bound);

        var next = await LambdaFunction.AnswerNextAsync(runtime, "{}");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.False(next.Headers.Contains(LambdaRuntimeApiWire.ClientContextHeader));
    }

    [Fact]
    public async Task WithoutAClientContext_TheFunctionGetsNone()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("{}"));

        var next = await LambdaFunction.AnswerNextAsync(runtime, "{}");
        using var response = await invoked.WaitAsync(Bound);

        Assert.False(next.Headers.Contains(LambdaRuntimeApiWire.ClientContextHeader));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("WzEsMl0=")] // [1,2]: JSON, not an object
    [InlineData("eyJhIjoxfQ")] // unpadded base64
    [InlineData("eyJhIjoKMX0=")] // {"a":\n1}: a line break would split the worker's header
    [InlineData("eyJhIjoiw6kifQ==")] // {"a":"é"}: not ASCII
    public async Task AClientContextThatIsNotAnAsciiJsonObjectInBase64_IsInvalidRequestContent(string header)
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, InvokePath) { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("X-Amz-Client-Context", header);

        using var response = await gateway.Client.SendAsync(request);

        await AssertLambdaErrorAsync(response, HttpStatusCode.BadRequest, "InvalidRequestContentException", "User");
    }

    [Fact]
    public async Task AClientContextOverLambdasLimit_IsInvalidRequestContent()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, InvokePath) { Content = new StringContent("{}") };
        var json = "{\"a\":\"" + new string('x', 2700) + "\"}";
        request.Headers.Add("X-Amz-Client-Context", Convert.ToBase64String(Encoding.ASCII.GetBytes(json)));

        using var response = await gateway.Client.SendAsync(request);

        await AssertLambdaErrorAsync(response, HttpStatusCode.BadRequest, "InvalidRequestContentException", "User");
    }

    [Fact]
    public async Task DryRun_Is204_AndRunsNothing()
    {
        await using var worker = await TestWorker.ReturningAsync("\"ran\"");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        using var request = new HttpRequestMessage(HttpMethod.Post, InvokePath) { Content = new StringContent("{}") };
        request.Headers.Add("X-Amz-Invocation-Type", "DryRun");

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.DoesNotContain(worker.Received, received => received.Path == "/invoke");
    }

    [Fact]
    public async Task AnFcFunction_IsInvokedWithItsPayloadUnchanged_AndItsQualifierIsTheExecutedVersion()
    {
        await using var worker = await TestWorker.ReturningAsync("plain output");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        using var response = await gateway.Client.PostAsync(InvokePath, new StringContent("not json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("plain output", await response.Content.ReadAsStringAsync());
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("LATEST", response.Headers.GetValues("X-Amz-Executed-Version").Single());
        Assert.Equal("not json", Encoding.UTF8.GetString(Assert.Single(worker.Received, received => received.Path == "/invoke").Body));
    }

    [Theory]
    [InlineData("nope", "arn:aws:lambda:cn-test:1234567890:function:nope")]
    [InlineData("nope:7", "arn:aws:lambda:cn-test:1234567890:function:nope:7")]
    [InlineData("1234567890:function:nope", "arn:aws:lambda:cn-test:1234567890:function:nope")]
    [InlineData("arn:aws:lambda:us-east-1:999999999999:function:echo", "arn:aws:lambda:us-east-1:999999999999:function:echo")]
    public async Task AFunctionThatDoesNotExist_IsResourceNotFound_InLambdasWords(string functionName, string arn)
    {
        await using var gateway = await LambdaFunction.StartAsync();

        using var response = await InvokeByNameAsync(gateway, functionName, "{}");

        await AssertLambdaErrorAsync(response, HttpStatusCode.NotFound, "ResourceNotFoundException", "User");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal($"Function not found: {arn}", body.RootElement.GetProperty("Message").GetString());
    }

    [Theory]
    [InlineData("nope", null, null, HttpStatusCode.NotFound, "ResourceNotFoundException")]
    [InlineData("arn:aws:lambda:us-east-1:999999999999:function:echo", null, null, HttpStatusCode.NotFound, "ResourceNotFoundException")]
    [InlineData("echo", "X-Amz-Invocation-Type", "Later", HttpStatusCode.BadRequest, "ValidationException")]
    [InlineData("echo", "X-Amz-Invocation-Type", "event", HttpStatusCode.BadRequest, "ValidationException")]
    [InlineData("echo", "X-Amz-Log-Type", "Everything", HttpStatusCode.BadRequest, "ValidationException")]
    [InlineData("echo", "X-Amz-Log-Type", "tail", HttpStatusCode.BadRequest, "ValidationException")]
    public async Task ARefusal_HasLambdasErrorShape_TheTypeInXAmznErrorType(string functionName, string? header, string? value, HttpStatusCode status, string errorType)
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/2015-03-31/functions/{Uri.EscapeDataString(functionName)}/invocations")
        {
            Content = new StringContent("{}"),
        };
        if (header is not null)
        {
            request.Headers.Add(header, value);
        }

        using var response = await gateway.Client.SendAsync(request);

        await AssertLambdaErrorAsync(response, status, errorType, "User");
    }

    /// <remarks>Lambda runs neither of two qualifiers that contradict each other: the name's and <c>?Qualifier=</c>.</remarks>
    [Theory]
    [InlineData("echo:$LATEST", "7")]
    [InlineData("arn:aws:lambda:cn-test:1234567890:function:echo:$LATEST", "7")]
    [InlineData("1234567890:function:echo:7", "$LATEST")]
    public async Task AQualifierInTheName_ThatTheQualifierParameterContradicts_IsRefused_AsAnInvalidParameterValue(string functionName, string qualifier)
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var response = await gateway.Client.PostAsync(
            $"/2015-03-31/functions/{Uri.EscapeDataString(functionName)}/invocations?Qualifier={Uri.EscapeDataString(qualifier)}", new StringContent("{}"))
            .WaitAsync(Bound);

        await AssertLambdaErrorAsync(response, HttpStatusCode.BadRequest, "InvalidParameterValueException", "User");
    }

    /// <remarks>
    /// Lambda checks a name's and a qualifier's shape before it looks for the function, and lists each constraint broken:
    /// an empty qualifier or name part, a character no name has, a name over 170 characters, a qualifier empty or over 128.
    /// </remarks>
    [Theory]
    [InlineData("echo:", null, 1)]
    [InlineData("echo::", null, 1)]
    [InlineData(":echo", null, 1)]
    [InlineData("ec ho", null, 1)]
    [InlineData("écho", null, 1)]
    [InlineData("echo:$NEWEST", null, 1)]
    [InlineData("echo", "a b", 1)]
    [InlineData("1234567890:function:echo:", null, 1)]
    [InlineData("arn:aws:lambda:cn-test:1234567890:function:echo:", null, 1)]
    [InlineData("arn:aws:lambda:cn-test:1234567890:function:echo:7:8", null, 1)]
    [InlineData("x*171", null, 1)]
    [InlineData("echo", "q*129", 1)]
    [InlineData("echo", "", 1)]
    [InlineData("echo:", "a b", 2)]
    [InlineData("x*170:", null, 2)]
    public async Task AMalformedNameOrQualifier_IsAValidationException_ListingEachConstraintBroken(string name, string? qualifier, int errors)
    {
        await using var gateway = await LambdaFunction.StartAsync();
        var query = qualifier is null ? "" : "?Qualifier=" + Uri.EscapeDataString(Repeated(qualifier));

        using var response = await InvokeByNameAsync(gateway, Repeated(name) + query, "{}").WaitAsync(Bound);

        await AssertLambdaErrorAsync(response, HttpStatusCode.BadRequest, "ValidationException", "User");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith(errors == 1 ? "1 validation error detected: Value '" : $"{errors} validation errors detected: Value '", body.RootElement.GetProperty("message").GetString());

        // "x*171": 171 x's; what follows the count is kept.
        static string Repeated(string value) =>
            value.Split('*') is [var text, var rest] ? new string(text[0], int.Parse(rest.TrimEnd(':'), CultureInfo.InvariantCulture)) + (rest.EndsWith(':') ? ":" : "") : value;
    }

    /// <remarks>boto3 and the JavaScript SDK expose the body's <c>Reason</c> on their <c>TooManyRequestsException</c>.</remarks>
    [Fact]
    public async Task AFunctionWithNoRoomLeft_Is429_TooManyRequests_WithLambdasReason()
    {
        await using var gateway = await LambdaFunction.StartAsync(c => c.Set($"Gateway:Functions:{PullFunction.Name}:MaxQueueLength", "0"));

        using var response = await gateway.Client.PostAsync("/2015-03-31/functions/echo/invocations", new StringContent("{}")).WaitAsync(Bound);

        await AssertLambdaErrorAsync(response, HttpStatusCode.TooManyRequests, "TooManyRequestsException", "User");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ReservedFunctionConcurrentInvocationLimitExceeded", body.RootElement.GetProperty("Reason").GetString());
    }

    [Fact]
    public async Task APayloadThatIsNotJson_ForALambdaFunction_IsInvalidRequestContent()
    {
        await using var gateway = await LambdaFunction.StartAsync();

        using var response = await gateway.Client.PostAsync(InvokePath, new StringContent("{not json"));

        await AssertLambdaErrorAsync(response, HttpStatusCode.BadRequest, "InvalidRequestContentException", "User");
    }

    [Fact]
    public async Task APayloadOverTheLimit_IsRequestTooLarge()
    {
        await using var gateway = await LambdaFunction.StartAsync(c => c.Set("Gateway:Limits:MaxRequestBodyBytes", "16"));

        using var response = await gateway.Client.PostAsync(InvokePath, new StringContent("""{"over":"sixteen bytes"}"""));

        await AssertLambdaErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "RequestTooLargeException", "User");
    }

    [Fact]
    public async Task WithBearerTokensConfigured_ACallWithoutOne_IsRefused_AsLambdaRefusesAnUnknownClient()
    {
        await using var gateway = await LambdaFunction.StartAsync(c => c.Set("Gateway:InvokeApi:BearerTokens:0", "test-token-0123456789abcdef"));
        using var request = new HttpRequestMessage(HttpMethod.Post, InvokePath) { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261203/cn-test/lambda/aws4_request");

        using var response = await gateway.Client.SendAsync(request);

        await AssertLambdaErrorAsync(response, HttpStatusCode.Forbidden, "UnrecognizedClientException", "User");
    }

    [Fact]
    public async Task AnotherMethod_Is405_InLambdasErrorShape()
    {
        await using var gateway = await LambdaFunction.StartAsync();

        using var response = await gateway.Client.GetAsync(InvokePath);

        await AssertLambdaErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UnknownOperationException", "User");
        Assert.Equal("POST", response.Content.Headers.Allow.Single());
    }

    /// <remarks>Before, these were FC's 404, which the AWS SDKs report as an unknown error.</remarks>
    [Theory]
    [InlineData("GET", "/2015-03-31/functions/")]
    [InlineData("GET", "/2015-03-31/functions/echo")]
    [InlineData("POST", "/2014-11-13/functions/echo/invoke-async/")]
    [InlineData("GET", "/2021-10-31/functions/echo/url")]
    public async Task AnotherOperationOfLambdasApi_Is404UnknownOperation_InLambdasErrorShape(string method, string path)
    {
        await using var gateway = await LambdaFunction.StartAsync();

        using var response = await gateway.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}") });

        await AssertLambdaErrorAsync(response, HttpStatusCode.NotFound, "UnknownOperationException", "User");
        Assert.Contains("Invoke and InvokeWithResponseStream", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APathOfNoApi_KeepsFcsNotFound()
    {
        await using var gateway = await LambdaFunction.StartAsync();

        using var response = await gateway.Client.GetAsync("/2015-03-30/functions/");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(response.Headers.Contains("x-amzn-ErrorType"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("FunctionNotFound", body.RootElement.GetProperty("errorCode").GetString());
    }

    private static async Task AssertLambdaErrorAsync(HttpResponseMessage response, HttpStatusCode status, string errorType, string type)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(errorType, response.Headers.GetValues("x-amzn-ErrorType").Single());
        var requestId = response.Headers.GetValues("X-Fc-Request-Id").Single();
        Assert.Equal(requestId, response.Headers.GetValues("x-amzn-RequestId").Single());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(type, body.RootElement.GetProperty("Type").GetString());
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty(MessageProperty(errorType)).GetString()));
    }

    /// <summary>Lambda's error bodies carry <c>message</c>, but for <c>ResourceNotFoundException</c>'s <c>Message</c>.</summary>
    private static string MessageProperty(string errorType) => errorType == "ResourceNotFoundException" ? "Message" : "message";

    /// <summary>Invokes through Lambda's Invoke by <paramref name="name"/>, a name or ARN, escaped in the path; what follows a <c>?</c> is the query.</summary>
    private static Task<HttpResponseMessage> InvokeByNameAsync(TestGateway gateway, string name, string payload)
    {
        var (function, query) = name.Split('?') is [var path, var rest] ? (path, "?" + rest) : (name, "");
        return gateway.Client.PostAsync($"/2015-03-31/functions/{Uri.EscapeDataString(function)}/invocations{query}", new StringContent(payload));
    }
}
