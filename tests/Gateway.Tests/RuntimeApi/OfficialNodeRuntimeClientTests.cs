using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.RuntimeApi;

/// <summary>
/// The gateway's Lambda runtime API (wire contract §14) against the official Node.js runtime interface client,
/// <c>aws-lambda-ric</c> (<see cref="OfficialNodeRuntimeClient"/>), launched as function <c>echo</c> behind a function
/// URL route, running tests/LambdaInterop's handlers; everything is asserted over real HTTP.
/// </summary>
public sealed class OfficialNodeRuntimeClientTests
{
    private const string LambdaInvokePath = "/2015-03-31/functions/echo/invocations";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static async Task<TestGateway> StartAsync(string handler, Action<GatewayConfiguration>? configure = null)
    {
        var entryPoint = await OfficialNodeRuntimeClient.EntryPointAsync();
        return await LambdaFunction.StartAsync(c =>
        {
            c.Set("Gateway:Functions:echo:Command", "node")
                .Set("Gateway:Functions:echo:Arguments:0", entryPoint)
                .Set("Gateway:Functions:echo:WorkingDirectory", OfficialNodeRuntimeClient.TaskRoot)
                .Set("Gateway:Functions:echo:Handler", handler);
            configure?.Invoke(c);
        });
    }

    [Fact]
    public async Task ABufferedResponse_ReachesTheClient_WithItsStatusHeadersCookiesAndBody()
    {
        await using var gateway = await StartAsync("index.respond");
        var run = Guid.NewGuid().ToString("N");
        var described = new JsonObject
        {
            ["statusCode"] = 203,
            ["headers"] = new JsonObject { ["content-type"] = "text/plain; charset=utf-8", ["x-run"] = run },
            ["cookies"] = new JsonArray($"session={run}; Path=/; HttpOnly", "theme=dark"),
            ["body"] = $"hello {run}",
            ["isBase64Encoded"] = false,
        };

        using var response = await gateway.Client.PostAsync("/echo/respond", Json(described)).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.NonAuthoritativeInformation, response.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(run, response.Headers.GetValues("x-run").Single());
        Assert.Equal([$"session={run}; Path=/; HttpOnly", "theme=dark"], response.Headers.GetValues("Set-Cookie"));
        Assert.Equal($"hello {run}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ABase64Body_IsDecoded_SoTheClientGetsItsBytes()
    {
        await using var gateway = await StartAsync("index.respond");
        var bytes = new byte[] { 0, 1, 0xfe, 0xff }.Concat(Guid.NewGuid().ToByteArray()).ToArray();
        var described = new JsonObject
        {
            ["statusCode"] = 200,
            ["headers"] = new JsonObject { ["content-type"] = "application/octet-stream" },
            ["body"] = Convert.ToBase64String(bytes),
            ["isBase64Encoded"] = true,
        };

        using var response = await gateway.Client.PostAsync("/echo/respond", Json(described)).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task TheHandler_ReceivesTheFunctionUrlEvent_OfTheRequest()
    {
        await using var gateway = await StartAsync("index.echo");
        var run = Guid.NewGuid().ToString("N");
        var bytes = new byte[] { 0xff, 0, 0x80 }.Concat(Encoding.ASCII.GetBytes(run)).ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/echo/items/a%20b?x=1&x=2&run={run}")
        {
            Content = new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } },
        };
        request.Headers.Add("X-Run", run);
        request.Headers.Add("Cookie", $"a={run}; b=2");

        using var binary = await gateway.Client.SendAsync(request).WaitAsync(Bound);
        using var text = await gateway.Client.PostAsync("/echo/text", new StringContent($"hello {run}", Encoding.UTF8, "text/plain")).WaitAsync(Bound);

        var @event = JsonDocument.Parse(await binary.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("2.0", @event.GetProperty("version").GetString());
        Assert.Equal("/echo/items/a%20b", @event.GetProperty("rawPath").GetString());
        Assert.Equal($"x=1&x=2&run={run}", @event.GetProperty("rawQueryString").GetString());
        Assert.Equal("1,2", @event.GetProperty("queryStringParameters").GetProperty("x").GetString());
        Assert.Equal(run, @event.GetProperty("headers").GetProperty("x-run").GetString());
        Assert.Equal([$"a={run}", "b=2"], @event.GetProperty("cookies").EnumerateArray().Select(cookie => cookie.GetString()));
        var http = @event.GetProperty("requestContext").GetProperty("http");
        Assert.Equal("PUT", http.GetProperty("method").GetString());
        Assert.Equal("/echo/items/a b", http.GetProperty("path").GetString());
        Assert.Equal(binary.Headers.GetValues("X-Fc-Request-Id").Single(), @event.GetProperty("requestContext").GetProperty("requestId").GetString());
        Assert.True(@event.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(bytes, Convert.FromBase64String(@event.GetProperty("body").GetString()!));
        var textEvent = JsonDocument.Parse(await text.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("POST", textEvent.GetProperty("requestContext").GetProperty("http").GetProperty("method").GetString());
        Assert.False(textEvent.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal($"hello {run}", textEvent.GetProperty("body").GetString());
    }

    [Fact]
    public async Task AHandlerThatThrows_Is502ThroughItsRoute_AndItsErrorDocumentThroughLambdasInvoke()
    {
        await using var gateway = await StartAsync("index.fail");
        var message = $"no such order {Guid.NewGuid():N}";
        var query = $"type=RangeError&message={Uri.EscapeDataString(message)}";
        var payload = new JsonObject { ["queryStringParameters"] = new JsonObject { ["type"] = "RangeError", ["message"] = message } };

        using var triggered = await gateway.Client.GetAsync($"/echo/orders?{query}").WaitAsync(Bound);
        using var invoked = await gateway.Client.PostAsync(LambdaInvokePath, Json(payload)).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.BadGateway, triggered.StatusCode);
        Assert.Equal("Internal Server Error", await triggered.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, invoked.StatusCode);
        Assert.Equal("Unhandled", invoked.Headers.GetValues("X-Amz-Function-Error").Single());
        var error = JsonDocument.Parse(await invoked.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("RangeError", error.GetProperty("errorType").GetString());
        Assert.Equal(message, error.GetProperty("errorMessage").GetString());
        Assert.Contains(error.GetProperty("trace").EnumerateArray(), line => line.GetString()!.Contains("index.mjs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AHandlerModuleThatThrowsAsItLoads_IsAnInitError_ThatFailsTheInvocationsThatWaited()
    {
        var message = $"cannot read the configuration {Guid.NewGuid():N}";
        await using var gateway = await StartAsync("init-fail.handler", c => c.Set("Gateway:Functions:echo:Environment:INIT_FAILURE", message));

        using var triggered = await gateway.Client.GetAsync("/echo/").WaitAsync(Bound);
        using var invoked = await gateway.Client.PostAsync(LambdaInvokePath, new StringContent("{}")).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.BadGateway, triggered.StatusCode);
        Assert.Equal("Internal Server Error", await triggered.Content.ReadAsStringAsync());
        Assert.Equal("Unhandled", invoked.Headers.GetValues("X-Amz-Function-Error").Single());
        var error = JsonDocument.Parse(await invoked.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Error", error.GetProperty("errorType").GetString());
        Assert.Equal(message, error.GetProperty("errorMessage").GetString());
        Assert.True(gateway.Logs.Contains("failed to initialize (init/error)"), "no init/error was logged");
        Assert.Empty(gateway.Pool().Ready);
    }

    [Fact]
    public async Task AStreamedResponse_IsSentOnAsItComes_WithThePreludesStatusHeadersAndCookies()
    {
        using var release = new StreamRelease();
        await using var gateway = await StartAsync("index.stream");
        var run = Guid.NewGuid().ToString("N");

        using var response = await StartStreamAsync(gateway, release, run, failure: null);
        await using var body = await response.Content.ReadAsStreamAsync();
        var first = await ReadFirstAsync(body, run);
        await release.OpenAsync();
        var rest = await new StreamReader(body).ReadToEndAsync().WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(run, response.Headers.GetValues("x-run").Single());
        Assert.Equal([$"stream={run}"], response.Headers.GetValues("Set-Cookie"));
        Assert.True(response.Headers.TransferEncodingChunked, "the streamed body was not sent chunked");
        Assert.Equal($"first {run},", first);
        Assert.Equal($"second {run}", rest);
    }

    [Fact]
    public async Task AStreamThatFailsAfterItBegan_CutsTheClientsResponse()
    {
        using var release = new StreamRelease();
        await using var gateway = await StartAsync("index.stream");
        var run = Guid.NewGuid().ToString("N");

        using var response = await StartStreamAsync(gateway, release, run, failure: $"lost the upstream {run}");
        await using var body = await response.Content.ReadAsStreamAsync();
        await ReadFirstAsync(body, run);
        await release.OpenAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await Assert.ThrowsAnyAsync<IOException>(() => new StreamReader(body).ReadToEndAsync().WaitAsync(Bound));
    }

    /// <summary>Asks <c>index.stream</c> for a 201 whose first piece it sends at once and the rest once <paramref name="release"/> opens; returns once the head has arrived.</summary>
    private static Task<HttpResponseMessage> StartStreamAsync(TestGateway gateway, StreamRelease release, string run, string? failure)
    {
        var described = new JsonObject
        {
            ["prelude"] = new JsonObject
            {
                ["statusCode"] = 201,
                ["headers"] = new JsonObject { ["content-type"] = "text/plain", ["x-run"] = run },
                ["cookies"] = new JsonArray($"stream={run}"),
            },
            ["first"] = $"first {run},",
            ["release"] = release.Path,
            ["rest"] = $"second {run}",
            ["failure"] = failure,
        };
        return gateway.Client.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "/echo/stream") { Content = Json(described) }, HttpCompletionOption.ResponseHeadersRead).WaitAsync(Bound);
    }

    /// <summary>Reads the first piece, which arrives while the function still holds its stream open.</summary>
    private static async Task<string> ReadFirstAsync(Stream body, string run)
    {
        var first = new byte[Encoding.UTF8.GetByteCount($"first {run},")];
        await body.ReadExactlyAsync(first).AsTask().WaitAsync(Bound);
        return Encoding.UTF8.GetString(first);
    }

    private static StringContent Json(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/json");
}
