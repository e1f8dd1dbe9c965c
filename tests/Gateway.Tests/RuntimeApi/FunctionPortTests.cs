using System.Net;
using FcGateway.RuntimeApi;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.RuntimeApi;

/// <summary>
/// A function's own runtime API port (<c>RuntimeApiUrl</c>): workers started elsewhere whose runtime client keeps only
/// <c>host:port</c> (Lambda's Node.js and Python clients) reach their function there, however many functions pull.
/// </summary>
public sealed class FunctionPortTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task EachFunctionsPort_ServesThatFunction_AtTheRootPaths_AsItsPrefixOnTheSharedPortWould()
    {
        await using var gateway = await LambdaFunction.StartAsync(c => c
            .Set("Gateway:Functions:echo:RuntimeApiUrl", "http://127.0.0.1:0")
            .Set("ReverseProxy:Routes:other:Match:Path", "/other/{**rest}")
            .Set("ReverseProxy:Routes:other:Metadata:FunctionName", "other")
            .Set("Gateway:Functions:other:RuntimeApi", "lambda")
            .Set("Gateway:Functions:other:RuntimeApiUrl", "http://localhost:0"));
        var server = gateway.Services.GetRequiredService<RuntimeApiServer>();
        using var echoRuntime = LambdaFunction.RuntimeClient(server.FunctionAddress("echo")!.ToString()!);
        using var otherRuntime = LambdaFunction.RuntimeClient(server.FunctionAddress("other")!.ToString()!);

        var toOther = gateway.Client.GetAsync("/other/");
        var toEcho = gateway.Client.GetAsync("/echo/");
        var otherArn = await AnswerAsync(otherRuntime, "from other");
        var echoArn = await AnswerAsync(echoRuntime, "from echo");

        Assert.EndsWith(":function:other", otherArn, StringComparison.Ordinal);
        Assert.EndsWith(":function:echo", echoArn, StringComparison.Ordinal);
        Assert.Equal("from other", await (await toOther.WaitAsync(Bound)).Content.ReadAsStringAsync());
        Assert.Equal("from echo", await (await toEcho.WaitAsync(Bound)).Content.ReadAsStringAsync());
        Assert.Null(server.FunctionAddress("unknown"));
    }

    /// <summary>Takes the next invocation, answers it with a function URL response of <paramref name="body"/>, and returns the ARN it was for.</summary>
    private static async Task<string> AnswerAsync(HttpClient runtime, string body)
    {
        using var next = await runtime.GetAsync("invocation/next").WaitAsync(Bound);
        var id = next.Headers.GetValues(LambdaRuntimeApiWire.RequestIdHeader).Single();
        using var reply = await runtime.PostAsync($"invocation/{id}/response", new StringContent($$"""{"statusCode":200,"body":"{{body}}"}"""));
        Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
        return next.Headers.GetValues(LambdaRuntimeApiWire.FunctionArnHeader).Single();
    }
}
