using System.Net;
using Gateway.Tests.EndToEnd;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Triggers;

namespace Gateway.Tests.Attacks;

/// <summary>
/// Requests that try to run a JWT trigger's function without a valid token: a verified path spelled another way
/// (case, repeated slashes, a trailing slash, a dot segment hidden behind an encoded slash), or a token whose <c>kid</c> names no
/// key of the JWKS. Paths are written byte for byte on a raw connection, so no client library normalises them.
/// A path with a dot-segment never gets as far as the trigger: the edge refuses it (400); the trigger's own rule
/// that such a path is always verified is the second line of defence, held by <c>PathScopeTests</c>.
/// </summary>
public sealed class JwtAttackTests
{
    [Theory]
    [InlineData("/jwtbl/admin", 401)]
    [InlineData("/JWTBL/admin", 401)]
    [InlineData("/jwtbl/Admin", 401)]
    [InlineData("/jwtbl/ADMIN/x", 401)]
    [InlineData("/jwtbl//admin", 401)]
    [InlineData("/jwtbl///ADMIN//x", 401)]
    [InlineData("/jwtbl/x/../admin", 400)]
    [InlineData("/jwtbl/x/..%2fadmin", 400)]
    [InlineData("/jwtbl/x%2F..%2Fadmin", 400)]
    [InlineData("/jwtbl/home", 200)]
    public async Task Blacklist_EverySpellingOfAVerifiedPath_NeedsAToken(string path, int expected)
    {
        using var keys = JwtTestKeys.Rsa();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.StartAsync(JwtConfiguration(worker, keys, "jwtbl", "Blacklist", "/jwtbl/admin*").Values);

        var response = await SendRawAsync(gateway, path);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == 200 ? 1 : 0, worker.Received.Count);
    }

    [Theory]
    [InlineData("/bl2/admin")]
    [InlineData("/bl2/admin/")]
    [InlineData("/bl2/Admin/")]
    [InlineData("/BL2/ADMIN/")]
    public async Task Blacklist_LiteralRoute_TrailingSlashSpelling_NeedsAToken(string path)
    {
        using var keys = JwtTestKeys.Rsa();
        await using var worker = await TestWorker.ReturningAsync("ok");
        var configuration = JwtConfiguration(worker, keys, "bl2", "Blacklist", "/bl2/admin").Set("ReverseProxy:Routes:bl2:Match:Path", "/bl2/admin");
        await using var gateway = await TestGateway.StartAsync(configuration.Values);

        var response = await SendRawAsync(gateway, path);

        Assert.Equal(401, response.StatusCode);
        Assert.Empty(worker.Received);
    }

    [Theory]
    [InlineData("/jwtbl/exact", 401)]
    [InlineData("/jwtbl/exact/", 401)]
    [InlineData("/jwtbl/EXACT/", 401)]
    [InlineData("/jwtbl/dir", 401)]
    [InlineData("/jwtbl/dir/", 401)]
    [InlineData("/jwtbl/dir/x/", 401)]
    [InlineData("/jwtbl/exact/x", 200)]
    [InlineData("/jwtbl/directory", 200)]
    public async Task Blacklist_CatchAllRoute_PathWithOrWithoutATrailingSlash_NeedsAToken(string path, int expected)
    {
        using var keys = JwtTestKeys.Rsa();
        await using var worker = await TestWorker.ReturningAsync("ok");
        var configuration = JwtConfiguration(worker, keys, "jwtbl", "Blacklist", "/jwtbl/exact").Set("Gateway:Triggers:jwtbl:Jwt:Blacklist:1", "/jwtbl/dir/*");
        await using var gateway = await TestGateway.StartAsync(configuration.Values);

        var response = await SendRawAsync(gateway, path);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == 200 ? 1 : 0, worker.Received.Count);
    }

    [Theory]
    [InlineData("/jwt/health", 200)]
    [InlineData("/jwt/health/", 401)]
    [InlineData("/jwt/HEALTH", 401)]
    [InlineData("/jwt/public/", 200)]
    [InlineData("/jwt/public", 401)]
    [InlineData("/jwt/Public/x", 401)]
    public async Task Whitelist_SkipsOnlyTheSpellingFcsRuleMatches(string path, int expected)
    {
        using var keys = JwtTestKeys.Rsa();
        await using var worker = await TestWorker.ReturningAsync("ok");
        var configuration = JwtConfiguration(worker, keys, "jwt", "Whitelist", "/jwt/health").Set("Gateway:Triggers:jwt:Jwt:Whitelist:1", "/jwt/public/*");
        await using var gateway = await TestGateway.StartAsync(configuration.Values);

        var response = await SendRawAsync(gateway, path);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == 200 ? 1 : 0, worker.Received.Count);
    }

    [Theory]
    [InlineData("/jwt/public/x", 200)]
    [InlineData("/JWT/PUBLIC/x", 401)]
    [InlineData("/jwt//public//x", 200)]
    [InlineData("/jwt/public/..%2fsecret", 400)]
    [InlineData("/jwt/public/%2e%2e%2fsecret", 400)]
    [InlineData("/jwt/secret/../public/x", 400)]
    [InlineData("/jwt/public/./x", 400)]
    [InlineData("/jwt/public/x/..", 400)]
    [InlineData("/jwt/private", 401)]
    public async Task Whitelist_SkipsOnlyTheListedSpelling_AndNeverAPathWithADotSegment(string path, int expected)
    {
        using var keys = JwtTestKeys.Rsa();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.StartAsync(JwtConfiguration(worker, keys, "jwt", "Whitelist", "/jwt/public/*").Values);

        var response = await SendRawAsync(gateway, path);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == 200 ? 1 : 0, worker.Received.Count);
    }

    [Fact]
    public async Task EncodedSlashDotSegment_IsRefusedBeforeTheTrigger_EvenWithAValidToken()
    {
        using var keys = JwtTestKeys.Rsa();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.StartAsync(JwtConfiguration(worker, keys, "jwt", "Whitelist", "/jwt/public/*").Values);

        var response = await SendRawAsync(gateway, "/jwt/public/..%2fsecret", $"Authorization: Bearer {keys.Token()}\r\n");

        Assert.Equal(400, response.StatusCode);
        Assert.Empty(worker.Received);
    }

    [Theory]
    [InlineData("first", "first", HttpStatusCode.OK)]
    [InlineData("second", "second", HttpStatusCode.OK)]
    [InlineData("first", "unknown", HttpStatusCode.Unauthorized)]
    [InlineData("second", "", HttpStatusCode.OK)]
    [InlineData("second", "first", HttpStatusCode.Unauthorized)]
    [InlineData("first", null, HttpStatusCode.OK)]
    [InlineData("second", null, HttpStatusCode.OK)]
    public async Task KeyId_OnlyTheKeyOfThatKidIsTried_AndAnyKeyWithoutOne(string signer, string? kid, HttpStatusCode expected)
    {
        using var first = JwtTestKeys.Rsa("first");
        using var second = JwtTestKeys.Rsa("second");
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TriggerAuthenticationTests.StartJwtAsync(worker, first, c =>
        {
            foreach (var (key, value) in second.JwksConfiguration("Gateway:Triggers:echo:Jwt:Jwks", 1))
            {
                c.Set(key, value);
            }
        });
        var token = (signer == "first" ? first : second).TokenWithKeyId(kid);

        var response = await TriggerAuthenticationTests.SendAsync(gateway, "/echo/", $"Bearer {token}");

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("RSA", "RS256", "RS256", HttpStatusCode.OK)]
    [InlineData("RSA", "RS256", "PS256", HttpStatusCode.Unauthorized)]
    [InlineData("RSA", "RS256", "RS512", HttpStatusCode.Unauthorized)]
    [InlineData("RSA", "PS384", "PS384", HttpStatusCode.OK)]
    [InlineData("RSA", null, "PS256", HttpStatusCode.OK)]
    [InlineData("RSA", null, "RS384", HttpStatusCode.OK)]
    [InlineData("P-256", null, "ES256", HttpStatusCode.OK)]
    [InlineData("P-256", null, "ES384", HttpStatusCode.Unauthorized)]
    [InlineData("P-256", null, "ES512", HttpStatusCode.Unauthorized)]
    [InlineData("P-256", "ES256", "ES384", HttpStatusCode.Unauthorized)]
    [InlineData("P-384", null, "ES384", HttpStatusCode.OK)]
    [InlineData("P-384", null, "ES256", HttpStatusCode.Unauthorized)]
    [InlineData("P-521", null, "ES512", HttpStatusCode.OK)]
    [InlineData("P-521", null, "ES384", HttpStatusCode.Unauthorized)]
    public async Task Algorithm_IsTheOneOfTheKey_ItsDeclaredAlgOrItsCurves(string key, string? declared, string signedWith, HttpStatusCode expected)
    {
        using var keys = key switch
        {
            "RSA" => JwtTestKeys.Rsa(),
            "P-384" => JwtTestKeys.EllipticCurve(bits: 384),
            "P-521" => JwtTestKeys.EllipticCurve(bits: 521),
            _ => JwtTestKeys.EllipticCurve(),
        };
        keys.DeclaredAlgorithm = declared;
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TriggerAuthenticationTests.StartJwtAsync(worker, keys);

        var response = await TriggerAuthenticationTests.SendAsync(gateway, "/echo/", $"Bearer {keys.TokenSignedWith(signedWith)}");

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("wrong key")]
    [InlineData("unknown kid")]
    [InlineData("expired")]
    [InlineData("malformed")]
    public async Task RejectedToken_IsLoggedAtDebugOnOneLine_WithoutTheToken(string kind)
    {
        using var keys = JwtTestKeys.Rsa();
        using var otherKeys = JwtTestKeys.Rsa();
        var token = kind switch
        {
            "wrong key" => otherKeys.Token(),
            "unknown kid" => keys.TokenWithKeyId("unknown"),
            "expired" => keys.Token(expires: DateTime.UtcNow.AddMinutes(-5), notBefore: DateTime.UtcNow.AddMinutes(-20)),
            _ => "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl.extra",
        };
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TriggerAuthenticationTests.StartJwtAsync(worker, keys, c => c.Set("Logging:LogLevel:FcGateway", "Debug"));

        var response = await TriggerAuthenticationTests.SendAsync(gateway, "/echo/", $"Bearer {token}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var requestId = response.Headers.GetValues("X-Fc-Request-Id").Single();
        var line = Assert.Single(gateway.Logs.Lines, line => line.Contains(requestId, StringComparison.Ordinal) && line.Contains("not authenticated", StringComparison.Ordinal));
        Assert.StartsWith("Debug ", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\r', line);
        foreach (var part in token.Split('.').Skip(1).Append(token))
        {
            Assert.DoesNotContain(part, line, StringComparison.Ordinal);
        }
    }

    private static GatewayConfiguration JwtConfiguration(TestWorker worker, JwtTestKeys keys, string function, string scope, string pattern)
    {
        var trigger = $"Gateway:Triggers:{function}";
        var configuration = new GatewayConfiguration().WithFunction(function, worker.Url)
            .Set($"{trigger}:AuthType", "jwt")
            .Set($"{trigger}:Jwt:{scope}:0", pattern);
        foreach (var (key, value) in keys.JwksConfiguration($"{trigger}:Jwt:Jwks"))
        {
            configuration.Set(key, value);
        }

        return configuration;
    }

    private static async Task<RawResponse> SendRawAsync(TestGateway gateway, string path, string headers = "")
    {
        await using var connection = await RawConnection.OpenAsync(gateway.Url);
        await connection.SendAsync($"GET {path} HTTP/1.1\r\nHost: a\r\n{headers}Connection: close\r\n\r\n");
        var response = await connection.ReadResponseAsync();
        Assert.NotNull(response);
        return response;
    }
}
