using System.Net;
using System.Text.Json;
using FcGateway.RuntimeApi;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.RuntimeApi;

/// <summary>A Lambda function of <c>PayloadFormatVersion</c> 1.0, through an HTTP trigger: API Gateway's REST API proxy event and response.</summary>
public sealed class LambdaPayloadFormatTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PayloadFormat10_TheFunctionGetsTheProxyEvent_AndItsMultiValueHeadersAreHeaderLines()
    {
        await using var gateway = await LambdaFunction.StartAsync(c => c.Set("Gateway:Functions:echo:PayloadFormatVersion", "1.0"));
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var triggered = gateway.Client.PostAsync("/echo/orders?id=7&id=8", new StringContent("""{"item":"tea"}""", System.Text.Encoding.UTF8, "application/json"));

        using var next = await runtime.GetAsync("invocation/next").WaitAsync(Bound);
        using var document = JsonDocument.Parse(await next.Content.ReadAsStringAsync());
        const string Output = """{"statusCode":201,"headers":{"Content-Type":"text/plain"},"multiValueHeaders":{"Set-Cookie":["a=1","b=2"]},"body":"made"}""";
        using var reply = await runtime.PostAsync($"invocation/{next.Headers.GetValues(LambdaRuntimeApiWire.RequestIdHeader).Single()}/response", new StringContent(Output));
        using var response = await triggered.WaitAsync(Bound);

        var root = document.RootElement;
        Assert.Equal("1.0", root.GetProperty("version").GetString());
        Assert.Equal("POST", root.GetProperty("httpMethod").GetString());
        Assert.Equal("/echo/orders", root.GetProperty("path").GetString());
        Assert.Equal("8", root.GetProperty("queryStringParameters").GetProperty("id").GetString());
        Assert.Equal(["7", "8"], root.GetProperty("multiValueQueryStringParameters").GetProperty("id").EnumerateArray().Select(value => value.GetString()));
        Assert.Equal("""{"item":"tea"}""", root.GetProperty("body").GetString());
        Assert.False(root.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(response.Headers.GetValues("X-Fc-Request-Id").Single(), root.GetProperty("requestContext").GetProperty("requestId").GetString());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["a=1", "b=2"], response.Headers.GetValues("Set-Cookie"));
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("made", await response.Content.ReadAsStringAsync());
    }
}
