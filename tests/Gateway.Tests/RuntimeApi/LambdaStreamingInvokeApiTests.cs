using System.Net;
using System.Text;
using System.Text.Json;
using FcGateway.RuntimeApi;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.RuntimeApi;

/// <summary>
/// AWS Lambda's InvokeWithResponseStream (<c>POST /2021-11-15/functions/{FunctionName}/response-streaming-invocations</c>),
/// as the AWS CLI and SDKs call it: the answer is an AWS event stream of <c>PayloadChunk</c> events and one
/// <c>InvokeComplete</c>.
/// </summary>
public sealed class LambdaStreamingInvokeApiTests
{
    private const string StreamingPath = "/2021-11-15/functions/echo/response-streaming-invocations";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(12)]
    [InlineData(70_000)]
    public async Task TheOutput_ComesInPayloadChunks_ThenInvokeComplete(int outputLength)
    {
        var output = JsonSerializer.Serialize(new string('o', outputLength - 2));
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var invoked = gateway.Client.PostAsync(StreamingPath, new StringContent("""{"name":"seed"}"""));

        var next = await LambdaFunction.AnswerNextAsync(runtime, output);
        using var response = await invoked.WaitAsync(Bound);
        var messages = AwsEventStream.Read(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal("""{"name":"seed"}""", next.Payload);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("$LATEST", response.Headers.GetValues("X-Amz-Executed-Version").Single());
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.All(messages[..^1], chunk =>
        {
            Assert.Equal("PayloadChunk", chunk.EventType);
            Assert.Equal("event", chunk.Headers[":message-type"]);
            Assert.Equal("application/octet-stream", chunk.Headers[":content-type"]);
        });
        Assert.Equal((outputLength + 32 * 1024 - 1) / (32 * 1024), messages.Count - 1);
        Assert.Equal(output, string.Concat(messages[..^1].Select(chunk => chunk.PayloadText)));
        Assert.Equal("InvokeComplete", messages[^1].EventType);
        Assert.Equal("application/json", messages[^1].Headers[":content-type"]);
        Assert.Equal("{}", messages[^1].PayloadText);
    }

    [Fact]
    public async Task AFunctionError_IsTheInvokeCompletesErrorCodeAndDetails_WithNoPayload()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var invoked = gateway.Client.PostAsync(StreamingPath, new StringContent("{}"));

        await LambdaFunction.AnswerNextAsync(runtime, """{"errorMessage":"something went wrong!","errorType":"errorString"}""", "error");
        using var response = await invoked.WaitAsync(Bound);
        var complete = Assert.Single(AwsEventStream.Read(await response.Content.ReadAsByteArrayAsync()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("InvokeComplete", complete.EventType);
        Assert.Equal("""{"ErrorCode":"errorString","ErrorDetails":"something went wrong!"}""", complete.PayloadText);
    }

    [Fact]
    public async Task AnErrorThatIsNotAnErrorDocument_IsUnhandled_WithItsTextAsTheDetails()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var invoked = gateway.Client.PostAsync(StreamingPath, new StringContent("{}"));

        await LambdaFunction.AnswerNextAsync(runtime, "it broke", "error");
        using var response = await invoked.WaitAsync(Bound);
        var complete = Assert.Single(AwsEventStream.Read(await response.Content.ReadAsByteArrayAsync()));

        Assert.Equal("""{"ErrorCode":"Unhandled","ErrorDetails":"it broke"}""", complete.PayloadText);
    }

    [Fact]
    public async Task ATimeout_IsTheInvokeCompletesError()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await LambdaFunction.StartAsync(c => c.Set("Gateway:Functions:echo:Timeout", "00:00:10"), time);
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var invoked = gateway.Client.PostAsync(StreamingPath, new StringContent("{}"));

        using var next = await runtime.GetAsync("invocation/next").WaitAsync(Bound);
        time.Advance(TimeSpan.FromSeconds(11));
        using var response = await invoked.WaitAsync(Bound);
        var complete = Assert.Single(AwsEventStream.Read(await response.Content.ReadAsByteArrayAsync()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(complete.Payload);
        Assert.Equal("Sandbox.Timedout", document.RootElement.GetProperty("ErrorCode").GetString());
        Assert.Equal(
            $"RequestId: {next.Headers.GetValues("Lambda-Runtime-Aws-Request-Id").Single()} Error: Task timed out after 10.00 seconds",
            document.RootElement.GetProperty("ErrorDetails").GetString());
    }

    [Fact]
    public async Task ABodyTheFunctionStreams_ComesAsItComes_PreludeAndAll_WithItsContentType()
    {
        const string prelude = """{"statusCode":201}""" + "\0\0\0\0\0\0\0\0";
        await using var gateway = await LambdaFunction.StartAsync();
        using var call = await StreamAsync(gateway, prelude + "first,");
        var (function, response, _) = call;
        await using var body = await response.Content.ReadAsStreamAsync();
        var first = await AwsEventStream.ReadNextAsync(body);
        var status = await LambdaFunction.FinishChunkedAsync(function, "second");
        var rest = AwsEventStream.Read(await ReadToEndAsync(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.awslambda.http-integration-response", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("$LATEST", response.Headers.GetValues("X-Amz-Executed-Version").Single());
        Assert.Equal(("PayloadChunk", prelude + "first,"), (first.EventType, first.PayloadText));
        Assert.Equal(["PayloadChunk", "InvokeComplete"], rest.Select(message => message.EventType));
        Assert.Equal("second", rest[0].PayloadText);
        Assert.Equal("{}", rest[1].PayloadText);
        Assert.Equal(202, status);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AStreamThatFails_WithItsErrorTrailers_EndsWithTheirTypeAndMessageInInvokeComplete(bool base64)
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var call = await StreamAsync(gateway, "partial", "text/plain", streamingMode: true);
        var (function, response, _) = call;
        var errorBody = LambdaFunction.ErrorBodyTrailer("""{"errorMessage":"boom mid-stream","errorType":"RangeError"}""", base64);
        var status = await LambdaFunction.FinishChunkedAsync(
            function, "-more", (LambdaRuntimeApiWire.FunctionErrorType, "Runtime.StreamError"), (LambdaRuntimeApiWire.FunctionErrorBody, errorBody));
        var messages = AwsEventStream.Read(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("partial-more", string.Concat(messages[..^1].Select(chunk => chunk.PayloadText)));
        using var complete = JsonDocument.Parse(messages[^1].Payload);
        Assert.Equal("InvokeComplete", messages[^1].EventType);
        Assert.Equal("Runtime.StreamError", complete.RootElement.GetProperty("ErrorCode").GetString());
        Assert.Equal("boom mid-stream", complete.RootElement.GetProperty("ErrorDetails").GetString());
        Assert.Equal(202, status);
    }

    [Fact]
    public async Task AStreamStillComingAtTheDeadline_EndsWithATimeoutInInvokeComplete_AndTheFunctionIsCut()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await LambdaFunction.StartAsync(c => c.Set("Gateway:Functions:echo:Timeout", "00:00:10"), time);
        using var call = await StreamAsync(gateway, "first", "text/plain", streamingMode: true);
        var (function, response, _) = call;
        await using var body = await response.Content.ReadAsStreamAsync();
        await AwsEventStream.ReadNextAsync(body);
        time.Advance(TimeSpan.FromSeconds(11));
        var complete = Assert.Single(AwsEventStream.Read(await ReadToEndAsync(body)));

        Assert.Equal("InvokeComplete", complete.EventType);
        Assert.Equal("Sandbox.Timedout", JsonDocument.Parse(complete.Payload).RootElement.GetProperty("ErrorCode").GetString());
        Assert.True(await call.IsFunctionCutAsync());
    }

    [Theory]
    [InlineData("Event")]
    [InlineData("Sometime")]
    [InlineData("requestresponse")]
    public async Task AnInvocationTypeItDoesNotTake_IsRefused_InLambdasErrorShape(string invocationType)
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, StreamingPath) { Content = new StringContent("{}") };
        request.Headers.Add("X-Amz-Invocation-Type", invocationType);

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("ValidationException", response.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.Contains($"Value '{invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, DryRun]", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task DryRun_Is204_AndNothingRuns()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, StreamingPath) { Content = new StringContent("{}") };
        request.Headers.Add("X-Amz-Invocation-Type", "DryRun");

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task AFunctionItDoesNotKnow_Is404ResourceNotFound_InLambdasErrorShape()
    {
        await using var gateway = await LambdaFunction.StartAsync();

        using var response = await gateway.Client.PostAsync("/2021-11-15/functions/nowhere/response-streaming-invocations", new StringContent("{}", Encoding.UTF8));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("ResourceNotFoundException", response.Headers.GetValues("x-amzn-ErrorType").Single());
    }

    private static Task<StreamedCall> StreamAsync(
        TestGateway gateway, string firstChunk, string contentType = StreamedHttpResponse.ContentType, bool streamingMode = false) =>
        StreamedCall.StartAsync(gateway, client => client.SendAsync(new HttpRequestMessage(HttpMethod.Post, StreamingPath) { Content = new StringContent("{}") }, HttpCompletionOption.ResponseHeadersRead), firstChunk, contentType, streamingMode);

    private static async Task<byte[]> ReadToEndAsync(Stream body)
    {
        using var rest = new MemoryStream();
        await body.CopyToAsync(rest).WaitAsync(Bound);
        return rest.ToArray();
    }
}
