using System.Net;
using System.Text;
using System.Text.Json;
using FcGateway.RuntimeApi;
using Gateway.Tests.Infrastructure;
using static Gateway.Tests.RuntimeApi.LambdaFunction;

namespace Gateway.Tests.RuntimeApi;

/// <summary>A Lambda function's error reply (<c>invocation/{id}/error</c>): 202 to the runtime, a function error to the client.</summary>
public sealed class LambdaErrorReplyTests
{
    [Fact]
    public async Task AnError_Is202_ThroughATrigger502_ThroughTheInvocationApiTheErrorDocument()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        const string seedError = """{"errorMessage":"something went wrong!","errorType":"errorString"}""";

        var triggered = gateway.Client.GetAsync("/echo/");
        var triggerReply = await AnswerNextStatusAsync(runtime, "error", seedError);
        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("{}"));
        var invokeReply = await AnswerNextStatusAsync(runtime, "error", seedError);

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

    /// <summary>Takes the next invocation and fails it with an empty error whose type only the header gives.</summary>
    private static async Task<HttpStatusCode> AnswerWithATypedEmptyErrorAsync(HttpClient runtime, string errorType)
    {
        var id = await TakeNextAsync(runtime);
        var error = new ByteArrayContent([]);
        error.Headers.Add(LambdaRuntimeApiWire.FunctionErrorType, errorType);
        using var reply = await runtime.PostAsync($"invocation/{id}/error", error);
        return reply.StatusCode;
    }

    private static async Task<HttpStatusCode> AnswerNextStatusAsync(HttpClient runtime, string reply, string body)
    {
        var id = await TakeNextAsync(runtime);
        using var answered = await runtime.PostAsync($"invocation/{id}/{reply}", new StringContent(body));
        return answered.StatusCode;
    }
}
