using System.Net;
using System.Net.Http.Headers;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Triggers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.EndToEnd;

public sealed class TriggerAuthenticationTests
{
    private const string Trigger = "Gateway:Triggers:echo";

    [Fact]
    public async Task Anonymous_NoCredentials_ReachesTheFunction()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set($"{Trigger}:AuthType", "anonymous"));

        var response = await gateway.Client.GetAsync("/echo/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(worker.Received);
    }

    [Fact]
    public async Task Bearer_ValidToken_ReachesTheFunctionWithoutTheToken()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartBearerAsync(worker);

        var response = await SendAsync(gateway, "/echo/", "Bearer second-token");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(EventHeaders(worker).TryGetProperty("Authorization", out _));
    }

    [Theory]
    [InlineData(null, "Bearer")]
    [InlineData("Basic dXNlcjpwYXNz", "Bearer")]
    [InlineData("Bearer wrong-token", "Bearer error=\"invalid_token\"")]
    [InlineData("Bearer first-token-but-longer", "Bearer error=\"invalid_token\"")]
    public async Task Bearer_MissingOrWrongToken_Returns401AccessDenied(string? authorization, string challenge)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartBearerAsync(worker, c => c.Set("Logging:LogLevel:FcGateway", "Debug"));

        var response = await SendAsync(gateway, "/echo/", authorization);

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.Unauthorized, "AccessDenied");
        Assert.Equal(challenge, response.Headers.WwwAuthenticate.ToString());
        Assert.Empty(worker.Received);
        var requestId = response.Headers.GetValues("X-Fc-Request-Id").Single();
        Assert.Contains(gateway.Logs.Lines, line => line.StartsWith("Debug ", StringComparison.Ordinal) && line.Contains(requestId, StringComparison.Ordinal) && line.Contains("not authenticated", StringComparison.Ordinal));
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("-token", body, StringComparison.Ordinal);
        Assert.DoesNotContain("dXNlcjpwYXNz", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jwt_ValidToken_ReachesTheFunction()
    {
        using var keys = JwtTestKeys.Rsa();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartJwtAsync(worker, keys);

        var response = await SendAsync(gateway, "/echo/", $"Bearer {keys.Token()}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(worker.Received);
    }

    [Fact]
    public async Task Jwt_EllipticCurveKey_IsAccepted()
    {
        using var keys = JwtTestKeys.EllipticCurve();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartJwtAsync(worker, keys);

        var response = await SendAsync(gateway, "/echo/", $"Bearer {keys.Token()}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Jwt_SeveralKeys_TheTokenKidPicksTheKey()
    {
        using var first = JwtTestKeys.Rsa("first");
        using var second = JwtTestKeys.Rsa("second");
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartJwtAsync(worker, first, c =>
        {
            foreach (var (key, value) in second.JwksConfiguration($"{Trigger}:Jwt:Jwks", 1))
            {
                c.Set(key, value);
            }
        });

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(gateway, "/echo/", $"Bearer {second.Token()}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(gateway, "/echo/", $"Bearer {first.Token()}")).StatusCode);
    }

    public static TheoryData<string> InvalidTokens() => new() { "expired", "not yet valid", "wrong key", "wrong issuer", "wrong audience", "tampered", "garbage" };

    [Theory]
    [MemberData(nameof(InvalidTokens))]
    public async Task Jwt_InvalidToken_Returns401InvalidToken(string kind)
    {
        using var keys = JwtTestKeys.Rsa();
        using var otherKeys = JwtTestKeys.Rsa();
        var now = DateTime.UtcNow;
        var valid = keys.Token(issuer: "https://issuer.example", audience: "gateway");
        var token = kind switch
        {
            "expired" => keys.Token(expires: now.AddMinutes(-5), notBefore: now.AddMinutes(-20), issuer: "https://issuer.example", audience: "gateway"),
            "not yet valid" => keys.Token(notBefore: now.AddMinutes(5), expires: now.AddMinutes(20), issuer: "https://issuer.example", audience: "gateway"),
            "wrong key" => otherKeys.Token(issuer: "https://issuer.example", audience: "gateway"),
            "wrong issuer" => keys.Token(issuer: "https://evil.example", audience: "gateway"),
            "wrong audience" => keys.Token(issuer: "https://issuer.example", audience: "other"),
            "tampered" => valid[..valid.LastIndexOf('.')] + ".AAAA" + valid[(valid.LastIndexOf('.') + 5)..],
            _ => "not.a.jwt",
        };
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartJwtAsync(worker, keys, c => c
            .Set($"{Trigger}:Jwt:Issuer", "https://issuer.example")
            .Set($"{Trigger}:Jwt:Audience", "gateway"));

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(gateway, "/echo/", $"Bearer {valid}")).StatusCode);
        var response = await SendAsync(gateway, "/echo/", $"Bearer {token}");

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.Unauthorized, "AccessDenied");
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Single(worker.Received);
        Assert.DoesNotContain(token, string.Join('\n', gateway.Logs.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jwt_MissingToken_Returns401()
    {
        using var keys = JwtTestKeys.Rsa();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartJwtAsync(worker, keys);

        var response = await gateway.Client.GetAsync("/echo/");

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.Unauthorized, "AccessDenied");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Empty(worker.Received);
    }

    [Theory]
    [InlineData("header")]
    [InlineData("cookie")]
    [InlineData("query")]
    public async Task Jwt_TokenLookup_FindsTheTokenInEachSource(string source)
    {
        using var keys = JwtTestKeys.Rsa();
        var token = keys.Token();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartJwtAsync(worker, keys, c => c.Set($"{Trigger}:Jwt:TokenLookup", "header:X-Token:Token ,cookie:token,query:jwt"));
        using var request = new HttpRequestMessage(HttpMethod.Get, source == "query" ? $"/echo/?jwt={token}&keep=1" : "/echo/?keep=1");
        if (source == "header")
        {
            request.Headers.Add("X-Token", $"Token {token}");
        }
        else if (source == "cookie")
        {
            request.Headers.Add("Cookie", $"other=1; token={token}");
        }

        var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var @event = worker.Received.Single().Event;
        Assert.DoesNotContain(token, @event.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("1", @event.GetProperty("queryParameters").GetProperty("keep").GetString());
        if (source == "cookie")
        {
            Assert.Equal("other=1", @event.GetProperty("headers").GetProperty("Cookie").GetString());
        }
    }

    [Fact]
    public async Task Jwt_TokenLookup_TriesSourcesInOrder_AndTheFirstValidTokenWins()
    {
        using var keys = JwtTestKeys.Rsa();
        using var otherKeys = JwtTestKeys.Rsa();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartJwtAsync(worker, keys, c => c
            .Set($"{Trigger}:Jwt:TokenLookup", "header:Authorization:Bearer ,cookie:token")
            .Set($"{Trigger}:Jwt:ClaimPassBy", "header:sub:X-User-Id"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", otherKeys.Token());
        request.Headers.Add("Cookie", $"token={keys.Token(new Dictionary<string, object> { ["sub"] = "from-cookie" })}");

        var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var headers = EventHeaders(worker);
        Assert.Equal("from-cookie", headers.GetProperty("X-User-Id").GetString());
        Assert.False(headers.TryGetProperty("Cookie", out _));
        Assert.False(headers.TryGetProperty("Authorization", out _));
    }

    /// <summary>
    /// A browser holding an expired token cookie at one path and a fresh one at another sends both, the more specific
    /// path first: either order is accepted, and neither reaches the function.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Jwt_CookieSentTwice_AnyValidOneIsAccepted(bool validFirst)
    {
        using var keys = JwtTestKeys.Rsa();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartJwtAsync(worker, keys, c => c.Set($"{Trigger}:Jwt:TokenLookup", "cookie:token"));
        var valid = keys.Token();
        var expired = keys.Token(expires: DateTime.UtcNow.AddHours(-1), notBefore: DateTime.UtcNow.AddHours(-2));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.Add("Cookie", validFirst ? $"token={valid}; other=1; token={expired}" : $"token={expired}; other=1; token={valid}");

        var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("other=1", EventHeaders(worker).GetProperty("Cookie").GetString());
    }

    [Theory]
    [InlineData("/echo/public/page", HttpStatusCode.OK)]
    [InlineData("/echo/public", HttpStatusCode.Unauthorized)]
    [InlineData("/echo/private", HttpStatusCode.Unauthorized)]
    public async Task Jwt_Whitelist_ListedPathsSkipVerification(string path, HttpStatusCode expected)
    {
        using var keys = JwtTestKeys.Rsa();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartJwtAsync(worker, keys, c => c.Set($"{Trigger}:Jwt:Whitelist:0", "/echo/public/*"));

        Assert.Equal(expected, (await gateway.Client.GetAsync(path)).StatusCode);
    }

    [Theory]
    [InlineData("/echo/admin", HttpStatusCode.Unauthorized)]
    [InlineData("/echo/admin/users", HttpStatusCode.Unauthorized)]
    [InlineData("/echo/home", HttpStatusCode.OK)]
    public async Task Jwt_Blacklist_OnlyListedPathsAreVerified(string path, HttpStatusCode expected)
    {
        using var keys = JwtTestKeys.Rsa();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartJwtAsync(worker, keys, c => c.Set($"{Trigger}:Jwt:Blacklist:0", "/echo/admin*"));

        Assert.Equal(expected, (await gateway.Client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Reload_AnonymousToBearer_TakesEffectWithoutRestart()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        var configuration = (IConfigurationRoot)gateway.Services.GetRequiredService<IConfiguration>();
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/echo/")).StatusCode);

        configuration[$"{Trigger}:AuthType"] = "bearer";
        configuration[$"{Trigger}:BearerTokens:0"] = "new-token";
        configuration.Reload();
        await Eventually.HoldsAsync(async () => (await gateway.Client.GetAsync("/echo/")).StatusCode == HttpStatusCode.Unauthorized);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(gateway, "/echo/", "Bearer new-token")).StatusCode);
    }

    [Fact]
    public async Task Reload_InvalidTriggerSettings_KeepsTheLastGoodOnes()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartBearerAsync(worker);
        var configuration = (IConfigurationRoot)gateway.Services.GetRequiredService<IConfiguration>();

        configuration[$"{Trigger}:AuthType"] = "anonymous";
        configuration.Reload();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("previous settings stay in force"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.Client.GetAsync("/echo/")).StatusCode);
        Assert.True(gateway.Logs.Contains("Gateway:Triggers:echo:BearerTokens"));
    }

    [Fact]
    public async Task UnroutedRequest_StillGets404FunctionNotFound()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartBearerAsync(worker);

        var response = await gateway.Client.GetAsync("/nowhere");

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.NotFound, "FunctionNotFound");
    }

    internal static Task<TestGateway> StartBearerAsync(TestWorker worker, Action<GatewayConfiguration>? configure = null) =>
        TestGateway.ForWorkerAsync(worker, configure: c =>
        {
            c.Set($"{Trigger}:AuthType", "bearer")
                .Set($"{Trigger}:BearerTokens:0", "first-token")
                .Set($"{Trigger}:BearerTokens:1", "second-token");
            configure?.Invoke(c);
        });

    internal static Task<TestGateway> StartJwtAsync(TestWorker worker, JwtTestKeys keys, Action<GatewayConfiguration>? configure = null) =>
        TestGateway.ForWorkerAsync(worker, configure: c =>
        {
            c.Set($"{Trigger}:AuthType", "jwt");
            foreach (var (key, value) in keys.JwksConfiguration($"{Trigger}:Jwt:Jwks"))
            {
                c.Set(key, value);
            }

            configure?.Invoke(c);
        });

    internal static async Task<HttpResponseMessage> SendAsync(TestGateway gateway, string path, string? authorization, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        configure?.Invoke(request);
        return await gateway.Client.SendAsync(request);
    }

    internal static System.Text.Json.JsonElement EventHeaders(TestWorker worker) => worker.Received.Last().Event.GetProperty("headers");
}
