using System.Net;
using System.Text.Json;
using FcGateway.RuntimeApi;
using Gateway.Tests.EndToEnd;
using static Gateway.Tests.RuntimeApi.LambdaFunction;

namespace Gateway.Tests.RuntimeApi;

/// <summary>The qualifier of a Lambda function's invocation: the one version it runs, <c>$LATEST</c>, and no other.</summary>
public sealed class LambdaQualifierTests
{
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
}
