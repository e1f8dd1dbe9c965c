using System.Net;
using System.Text;
using System.Text.Json;
using FcGateway.RuntimeApi;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Gateway.Tests.RuntimeApi.LambdaFunction;

namespace Gateway.Tests.RuntimeApi;

/// <summary>A reply posted as aws-lambda-go posts it: chunked with its error trailers, or in a function URL's streamed form (prelude, eight zero bytes, body).</summary>
public sealed class LambdaChunkedAndStreamedReplyTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AChunkedResponse_WithErrorTrailers_IsAFunctionError_CarryingTheDecodedErrorBody(bool base64)
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        const string error = """{"errorMessage":"stream broke","errorType":"Runtime.StreamError"}""";
        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("{}"));
        var id = await TakeNextAsync(runtime);

        var status = await LambdaFunction.PostChunkedWithTrailersAsync(
            gateway.RuntimeApi(), $"invocation/{id}/response", "{\"partial\":",
            (LambdaRuntimeApiWire.FunctionErrorType, "Runtime.StreamError"),
            (LambdaRuntimeApiWire.FunctionErrorBody, ErrorBodyTrailer(error, base64)));
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
}
