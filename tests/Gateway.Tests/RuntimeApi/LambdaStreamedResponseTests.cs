using System.Net;
using System.Net.Sockets;
using System.Text;
using FcGateway.RuntimeApi;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.RuntimeApi;

/// <summary>
/// A response a Lambda function streams to the runtime API (aws-lambda-go's <c>LambdaFunctionURLStreamingResponse</c>:
/// a JSON prelude, eight zero bytes, the body, posted chunked) reaches an HTTP trigger's client as it comes, as a
/// function URL in <c>RESPONSE_STREAM</c> mode sends it; a stream that cannot end well leaves the client's response cut.
/// </summary>
public sealed class LambdaStreamedResponseTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private const string Prelude = """{"statusCode":201,"headers":{"x-kind":"streamed"},"cookies":["a=b"]}""" + "\0\0\0\0\0\0\0\0";

    [Fact]
    public async Task TheBody_ReachesTheClient_BeforeTheFunctionHasSentItAll()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var call = await StreamAsync(gateway, Prelude + "first,");
        var (function, response, id) = call;
        await using var body = await response.Content.ReadAsStreamAsync();
        var first = await ReadAtLeastAsync(body, "first,".Length);
        var status = await LambdaFunction.FinishChunkedAsync(function, "second");
        var rest = await new StreamReader(body).ReadToEndAsync().WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("streamed", response.Headers.GetValues("x-kind").Single());
        Assert.Equal(["a=b"], response.Headers.GetValues("Set-Cookie"));
        Assert.Equal(id, response.Headers.GetValues("X-Fc-Request-Id").Single());
        Assert.Null(response.Content.Headers.ContentLength);
        Assert.Equal("first,", first);
        Assert.Equal("second", rest);
        Assert.Equal(202, status);
    }

    [Fact]
    public async Task TheStatusAndHeaders_ReachTheClient_AsSoonAsThePreludeEnds_BeforeAnyBody()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var triggered = gateway.Client.GetAsync("/echo/", HttpCompletionOption.ResponseHeadersRead);
        var id = await LambdaFunction.TakeNextAsync(runtime);

        // Node's HttpResponseStream.from writes the prelude and its eight zero bytes, and the handler then waits for
        // what it has to stream: the client has the status and headers meanwhile.
        using var function = await LambdaFunction.StartChunkedAsync(gateway.RuntimeApi(), $"invocation/{id}/response", Prelude, StreamedHttpResponse.ContentType);
        using var response = await triggered.WaitAsync(TimeSpan.FromSeconds(10));
        var status = await LambdaFunction.FinishChunkedAsync(function, "later");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("streamed", response.Headers.GetValues("x-kind").Single());
        Assert.Equal("later", await response.Content.ReadAsStringAsync().WaitAsync(Bound));
        Assert.Equal(202, status);
    }

    [Fact]
    public async Task ABodyStreamedWithoutAPrelude_ReachesTheClientAsItComes_WithStatus200AndItsContentType()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        // Node's streamifyResponse writing to its stream without HttpResponseStream.from, after setContentType.
        using var call = await StreamAsync(gateway, "first,", "text/plain", streamingMode: true);
        var (function, response, id) = call;
        await using var body = await response.Content.ReadAsStreamAsync();
        var first = await ReadAtLeastAsync(body, "first,".Length);
        var status = await LambdaFunction.FinishChunkedAsync(function, "{\"statusCode\":404}");
        var rest = await new StreamReader(body).ReadToEndAsync().WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(id, response.Headers.GetValues("X-Fc-Request-Id").Single());
        Assert.Equal("first,", first);
        Assert.Equal("{\"statusCode\":404}", rest);
        Assert.Equal(202, status);
    }

    [Fact]
    public async Task AStreamThatFails_WithItsErrorTrailers_CutsTheClientsResponse_AndIsTaken()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var call = await StreamAsync(gateway, Prelude + "partial");
        var (function, response, id) = call;
        var status = await LambdaFunction.FinishChunkedAsync(function, "-more", (LambdaRuntimeApiWire.FunctionErrorType, "Runtime.StreamError"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await AssertCutAsync(response);
        Assert.Equal(202, status);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("failed while sending its response"));
    }

    [Fact]
    public async Task AStreamStillComingAtTheDeadline_IsCut_AtBothEnds()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await LambdaFunction.StartAsync(c => c.Set("Gateway:Functions:echo:Timeout", "00:00:10"), time);
        using var call = await StreamAsync(gateway, Prelude + "first");
        var (function, response, id) = call;
        await using var body = await response.Content.ReadAsStreamAsync();
        await ReadAtLeastAsync(body, "first".Length);
        time.Advance(TimeSpan.FromSeconds(11));

        await Assert.ThrowsAnyAsync<IOException>(() => new StreamReader(body).ReadToEndAsync().WaitAsync(Bound));
        Assert.True(await call.IsFunctionCutAsync());
    }

    [Fact]
    public async Task AStreamStillOpenAtTheDrainsEnd_IsCut_AndLoggedAsGivenUp_NotAsTheClientsLeaving()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var gateway = await LambdaFunction.StartAsync(c => c.Set("Gateway:DrainTimeout", "00:00:10").Set("Gateway:Functions:echo:Timeout", "00:10:00"), time);
        using var call = await StreamAsync(gateway, Prelude + "first");
        var (function, response, id) = call;
        await using var body = await response.Content.ReadAsStreamAsync();
        await ReadAtLeastAsync(body, "first".Length);
        var stopping = gateway.StopAsync();
        var lifetime = gateway.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>();
        await Eventually.HoldsAsync(() => lifetime.ApplicationStopping.IsCancellationRequested);
        time.Advance(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAnyAsync<IOException>(() => new StreamReader(body).ReadToEndAsync().WaitAsync(Bound));
        await LambdaFunction.SendChunkAsync(function, "rest");
        await Eventually.HoldsAsync(() => gateway.Logs.Lines.Any(line => line.Contains($"requestId={id}", StringComparison.Ordinal)));
        Assert.Contains(gateway.Logs.Lines, line => line.Contains($"requestId={id}", StringComparison.Ordinal) && line.Contains("outcome=no_instance", StringComparison.Ordinal));
        function.Dispose();
        await stopping.WaitAsync(Bound);
        await gateway.DisposeAsync();
    }

    [Fact]
    public async Task AStreamedBodyOverTheResponseLimit_IsCut_AtBothEnds()
    {
        await using var gateway = await LambdaFunction.StartAsync(c => c.Set("Gateway:Limits:MaxResponseBodyBytes", "1024"));
        using var call = await StreamAsync(gateway, Prelude + new string('a', 1000));
        var (function, response, id) = call;
        await LambdaFunction.SendChunkAsync(function, new string('b', 100));

        await AssertCutAsync(response);
        Assert.True(await call.IsFunctionCutAsync());
    }

    [Fact]
    public async Task AClientThatGoesAway_MidStream_LeavesTheFunctionToEndItsReply_WhichIsTaken()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        using var client = new HttpClient { BaseAddress = new Uri(gateway.Url) };
        var triggered = client.GetAsync("/echo/", HttpCompletionOption.ResponseHeadersRead);
        var id = await LambdaFunction.TakeNextAsync(runtime);

        using var function = await LambdaFunction.StartChunkedAsync(gateway.RuntimeApi(), $"invocation/{id}/response", Prelude + "first", StreamedHttpResponse.ContentType);
        var response = await triggered.WaitAsync(Bound);
        await ReadAtLeastAsync(await response.Content.ReadAsStreamAsync(), "first".Length);
        response.Dispose();
        client.Dispose();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("499"));
        await LambdaFunction.SendChunkAsync(function, new string('b', 256 * 1024));
        var status = await LambdaFunction.FinishChunkedAsync(function, "end");

        Assert.Equal(202, status);
    }

    [Fact]
    public async Task AHeadRequest_GetsTheStatusAndHeaders_AndTheFunctionsBodyIsTaken()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var triggered = gateway.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/echo/"));
        var id = await LambdaFunction.TakeNextAsync(runtime);

        using var function = await LambdaFunction.StartChunkedAsync(gateway.RuntimeApi(), $"invocation/{id}/response", Prelude + "body", StreamedHttpResponse.ContentType);
        using var response = await triggered.WaitAsync(Bound);
        var status = await LambdaFunction.FinishChunkedAsync(function, "more");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("streamed", response.Headers.GetValues("x-kind").Single());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(202, status);
    }

    [Fact]
    public async Task TheInvocationApi_StillTakesAStreamedResponseWhole()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var invoked = gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("{}"));
        var id = await LambdaFunction.TakeNextAsync(runtime);

        using var function = await LambdaFunction.StartChunkedAsync(gateway.RuntimeApi(), $"invocation/{id}/response", Prelude + "first,", StreamedHttpResponse.ContentType);
        var status = await LambdaFunction.FinishChunkedAsync(function, "second");
        using var response = await invoked.WaitAsync(Bound);
        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(202, status);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(201, document.RootElement.GetProperty("statusCode").GetInt32());
        Assert.Equal("first,second", Encoding.UTF8.GetString(document.RootElement.GetProperty("body").GetBytesFromBase64()));
    }

    /// <summary>
    /// Has the function take a GET of the trigger and begin streaming its reply with <paramref name="firstChunk"/> (of
    /// <paramref name="contentType"/>).
    /// </summary>
    private static Task<StreamedCall> StreamAsync(
        TestGateway gateway, string firstChunk, string contentType = StreamedHttpResponse.ContentType, bool streamingMode = false) =>
        StreamedCall.StartAsync(gateway, client => client.GetAsync("/echo/", HttpCompletionOption.ResponseHeadersRead), firstChunk, contentType, streamingMode);

    private static async Task<string> ReadAtLeastAsync(Stream body, int bytes)
    {
        var buffer = new byte[bytes];
        await body.ReadExactlyAsync(buffer).AsTask().WaitAsync(Bound);
        return Encoding.UTF8.GetString(buffer);
    }

    /// <summary>The client's response ends before its end: reading it to the end fails.</summary>
    private static async Task AssertCutAsync(HttpResponseMessage response) =>
        await Assert.ThrowsAnyAsync<IOException>(async () => await (await response.Content.ReadAsStreamAsync()).CopyToAsync(Stream.Null).WaitAsync(Bound));
}
