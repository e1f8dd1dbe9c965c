using System.Net;
using Gateway.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Gateway.Tests.EndToEnd;

public sealed class TriggerMethodsAndCorsTests
{
    private const string Trigger = "Gateway:Triggers:echo";
    private const string Origin = "https://app.example";

    [Fact]
    public async Task Methods_NotListed_Returns403AccessDenied_WithAllow()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, withCors: false);

        var response = await gateway.Client.DeleteAsync("/echo/");

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.Forbidden, "AccessDenied");
        Assert.Equal(["GET", "POST"], response.Content.Headers.Allow);
        Assert.Empty(worker.Received);
    }

    [Fact]
    public async Task Methods_Listed_ReachesTheFunction()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, withCors: false);

        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.PostAsync("/echo/", new StringContent("x"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/echo/")).StatusCode);
    }

    [Fact]
    public async Task Methods_CheckedBeforeAuthentication()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, withCors: false, c => c.Set($"{Trigger}:AuthType", "bearer").Set($"{Trigger}:BearerTokens:0", "t"));

        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.Client.DeleteAsync("/echo/")).StatusCode);
    }

    [Fact]
    public async Task Preflight_IsAnsweredByTheGateway_EvenForAMethodNotListedAndWithoutCredentials()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, withCors: true, c => c.Set($"{Trigger}:AuthType", "bearer").Set($"{Trigger}:BearerTokens:0", "t"));

        var response = await PreflightAsync(gateway, Origin, "POST", "X-Custom");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(Origin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("GET,POST", Header(response, "Access-Control-Allow-Methods"));
        Assert.Equal("X-Custom", Header(response, "Access-Control-Allow-Headers"));
        Assert.Equal("600", Header(response, "Access-Control-Max-Age"));
        Assert.Equal("true", Header(response, "Access-Control-Allow-Credentials"));
        Assert.Single(response.Headers.GetValues("X-Fc-Request-Id"));
        Assert.Empty(worker.Received);
    }

    [Theory]
    [InlineData(Origin)]
    [InlineData("https://evil.example")]
    public async Task Preflight_AnsweredByTheGateway_HasExactlyOneAccessLine(string origin)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, withCors: true);

        var response = await PreflightAsync(gateway, origin, "POST", null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await Eventually.HoldsAsync(() => AccessLines(gateway, response).Count > 0);
        var line = Assert.Single(AccessLines(gateway, response));
        Assert.Contains("OPTIONS ", line, StringComparison.Ordinal);
        Assert.Contains(" function= destination= status=204 outcome=success ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preflight_DisallowedOrigin_GetsNoCorsHeaders_AndNeverReachesTheFunction()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, withCors: true);

        var response = await PreflightAsync(gateway, "https://evil.example", "POST", null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(worker.Received);
    }

    [Fact]
    public async Task ActualRequest_AllowedOrigin_GetsCorsHeadersOnTheFunctionResponse()
    {
        await using var worker = await TestWorker.ReturningAsync("{\"statusCode\":200,\"headers\":{\"X-Result\":\"1\"},\"body\":\"hi\"}");
        await using var gateway = await StartAsync(worker, withCors: true);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.Add("Origin", Origin);

        var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hi", await response.Content.ReadAsStringAsync());
        Assert.Equal(Origin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("true", Header(response, "Access-Control-Allow-Credentials"));
        Assert.Equal("X-Result", Header(response, "Access-Control-Expose-Headers"));
        Assert.Single(worker.Received);
    }

    [Fact]
    public async Task ActualRequest_DisallowedOrigin_GetsNoCorsHeaders()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, withCors: true);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.Add("Origin", "https://evil.example");

        var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("https://evil.example", null)]
    [InlineData(null, null)]
    [InlineData(Origin, Origin)]
    public async Task EventFunction_OwnCorsHeaders_NeverReachTheClient_OnlyThePolicysDo(string? origin, string? expected)
    {
        await using var worker = await TestWorker.ReturningAsync(
            "{\"statusCode\":200,\"headers\":{\"Access-Control-Allow-Origin\":\"https://evil.example\",\"access-control-allow-methods\":\"DELETE\",\"X-Result\":\"1\"},\"body\":\"hi\"}");
        await using var gateway = await StartAsync(worker, withCors: true);

        var response = await SendWithOriginAsync(gateway, origin);

        AssertOnlyThePolicysCorsHeaders(response, expected);
        Assert.Equal("1", Header(response, "X-Result"));
    }

    [Theory]
    [InlineData("https://evil.example", null)]
    [InlineData(null, null)]
    [InlineData(Origin, Origin)]
    public async Task WebFunction_OwnCorsHeaders_NeverReachTheClient_OnlyThePolicysDo(string? origin, string? expected)
    {
        using var worker = new ScriptedWorker();
        worker.Given(Request.Create()).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("Access-Control-Allow-Origin", "https://evil.example").WithHeader("Access-Control-Allow-Methods", "DELETE")
            .WithHeader("X-Result", "1").WithBody("hi"));
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c =>
        {
            c.Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web").Set($"{Trigger}:Cors:AllowOrigins:0", Origin);
        });

        var response = await SendWithOriginAsync(gateway, origin);

        AssertOnlyThePolicysCorsHeaders(response, expected);
        Assert.Equal("1", Header(response, "X-Result"));
    }

    [Theory]
    [InlineData(Origin, false)]
    [InlineData("https://evil.example", false)]
    [InlineData(null, false)]
    [InlineData(Origin, true)]
    [InlineData("https://evil.example", true)]
    [InlineData(null, true)]
    public async Task ActualRequest_OnACorsTrigger_VariesByOrigin_WhateverTheOrigin(string? origin, bool severalOrigins)
    {
        // The CORS headers depend on Origin, so a cache must not answer one origin (or a request without one) with
        // the response it stored for another (Fetch, "CORS protocol and HTTP caches").
        await using var worker = await TestWorker.ReturningAsync("{\"statusCode\":200,\"headers\":{\"Vary\":\"Accept-Encoding\"},\"body\":\"hi\"}");
        await using var gateway = await StartAsync(worker, withCors: true, c =>
        {
            if (severalOrigins)
            {
                c.Set($"{Trigger}:Cors:AllowOrigins:1", "https://other.example");
            }
        });

        var response = await SendWithOriginAsync(gateway, origin);

        Assert.Equal(["Accept-Encoding", "Origin"], response.Headers.Vary);
    }

    [Theory]
    [InlineData(Origin)]
    [InlineData("https://evil.example")]
    public async Task Preflight_VariesByOrigin_AllowedOrNot(string origin)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, withCors: true);

        var response = await PreflightAsync(gateway, origin, "POST", null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(["Origin"], response.Headers.Vary);
    }

    [Fact]
    public async Task Rejection_WithoutOrigin_OnACorsTrigger_VariesByOrigin()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, withCors: true, c => c.Set($"{Trigger}:AuthType", "bearer").Set($"{Trigger}:BearerTokens:0", "t"));

        var response = await gateway.Client.GetAsync("/echo/");

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.Unauthorized, "AccessDenied");
        Assert.Equal(["Origin"], response.Headers.Vary);
    }

    [Fact]
    public async Task Response_OnATriggerWithoutCors_DoesNotVaryByOrigin()
    {
        await using var worker = await TestWorker.ReturningAsync("{\"statusCode\":200,\"body\":\"hi\"}");
        await using var gateway = await StartAsync(worker, withCors: false);

        var response = await SendWithOriginAsync(gateway, Origin);

        Assert.Empty(response.Headers.Vary);
    }

    [Fact]
    public async Task Function_WithoutATriggerCorsPolicy_SendsItsOwnCorsHeaders()
    {
        await using var worker = await TestWorker.ReturningAsync("{\"statusCode\":200,\"headers\":{\"Access-Control-Allow-Origin\":\"*\"},\"body\":\"hi\"}");
        await using var gateway = await StartAsync(worker, withCors: false);

        var response = await SendWithOriginAsync(gateway, "https://any.example");

        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Rejection_OfACorsRequest_CarriesCorsHeadersSoTheBrowserCanReadIt()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, withCors: true, c => c.Set($"{Trigger}:AuthType", "bearer").Set($"{Trigger}:BearerTokens:0", "t"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.Add("Origin", Origin);

        var response = await gateway.Client.SendAsync(request);

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.Unauthorized, "AccessDenied");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(Origin, Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task ClientFcHeaderRefusal_OfACorsRequest_CarriesCorsHeadersSoTheBrowserCanReadIt()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, withCors: true, c => c.Set("Gateway:RejectClientFcHeaders", "true"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.Add("Origin", Origin);
        request.Headers.Add("X-Fc-Account-Id", "forged");

        var response = await gateway.Client.SendAsync(request);

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.BadRequest, "InvalidArgument");
        Assert.Equal(Origin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Empty(worker.Received);
    }

    [Fact]
    public async Task Preflight_TriggerWithoutCors_IsAnOrdinaryOptionsRequest()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await PreflightAsync(gateway, Origin, "POST", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("OPTIONS", worker.Received.Single().Event.GetProperty("requestContext").GetProperty("http").GetProperty("method").GetString());
        await Eventually.HoldsAsync(() => AccessLines(gateway, response).Count > 0);
        Assert.Contains(" function=echo destination=d0 status=200 ", Assert.Single(AccessLines(gateway, response)), StringComparison.Ordinal);
    }

    private static Task<TestGateway> StartAsync(TestWorker worker, bool withCors, Action<GatewayConfiguration>? configure = null) =>
        TestGateway.ForWorkerAsync(worker, configure: c =>
        {
            c.Set($"{Trigger}:Methods:0", "GET").Set($"{Trigger}:Methods:1", "post");
            if (withCors)
            {
                c.Set($"{Trigger}:Cors:AllowOrigins:0", Origin)
                    .Set($"{Trigger}:Cors:AllowHeaders:0", "X-Custom")
                    .Set($"{Trigger}:Cors:ExposeHeaders:0", "X-Result")
                    .Set($"{Trigger}:Cors:MaxAge", "600")
                    .Set($"{Trigger}:Cors:AllowCredentials", "true");
            }

            configure?.Invoke(c);
        });

    private static async Task<HttpResponseMessage> SendWithOriginAsync(TestGateway gateway, string? origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        var response = await gateway.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hi", await response.Content.ReadAsStringAsync());
        return response;
    }

    private static void AssertOnlyThePolicysCorsHeaders(HttpResponseMessage response, string? allowedOrigin)
    {
        Assert.Equal(allowedOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Null(Header(response, "Access-Control-Allow-Methods"));
    }

    private static async Task<HttpResponseMessage> PreflightAsync(TestGateway gateway, string origin, string method, string? headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/echo/");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        if (headers is not null)
        {
            request.Headers.Add("Access-Control-Request-Headers", headers);
        }

        return await gateway.Client.SendAsync(request);
    }

    /// <summary>The access lines of the request that got <paramref name="response"/>.</summary>
    private static List<string> AccessLines(TestGateway gateway, HttpResponseMessage response)
    {
        var requestId = response.Headers.GetValues("X-Fc-Request-Id").Single();
        return gateway.Logs.Lines.Where(line => line.Contains("InvocationTelemetry:", StringComparison.Ordinal) && line.EndsWith($"requestId={requestId}", StringComparison.Ordinal)).ToList();
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
