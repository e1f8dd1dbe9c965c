using System.Net;
using System.Text.Json;
using FcGateway.RuntimeApi;
using Gateway.Tests.EndToEnd;
using static Gateway.Tests.RuntimeApi.LambdaFunction;

namespace Gateway.Tests.RuntimeApi;

/// <summary>The payload of an invocation through the invocation API: a Lambda function's must be JSON (<c>{}</c> when empty), an FC function's is any bytes.</summary>
public sealed class LambdaInvocationPayloadTests
{
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
}
