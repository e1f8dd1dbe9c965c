using FcGateway.Configuration;
using FcGateway.Edge.Triggers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Triggers;

public sealed class TriggerSettingsReaderTests
{
    private const string Prefix = "Gateway:Triggers:r";

    [Fact]
    public void Read_NoEntry_DefaultIsAnonymousEveryMethodNoCors()
    {
        var settings = Read([], out var errors);

        Assert.Empty(errors);
        var trigger = settings.GetTrigger("r");
        Assert.Same(TriggerSettings.Default, trigger);
        Assert.Equal(TriggerAuthType.Anonymous, trigger.AuthType);
        Assert.True(trigger.AllowsMethod("DELETE"));
        Assert.Null(trigger.Cors);
        Assert.False(trigger.RequiresAuthentication("/x", "/x"));
    }

    [Fact]
    public void Read_Bearer_HashesTokens()
    {
        var settings = Read(new() { [$"{Prefix}:AuthType"] = "Bearer", [$"{Prefix}:BearerTokens:0"] = "t1", [$"{Prefix}:BearerTokens:1"] = "t2" }, out var errors);

        Assert.Empty(errors);
        var trigger = settings.GetTrigger("R");
        Assert.Equal(TriggerAuthType.Bearer, trigger.AuthType);
        Assert.Equal(2, trigger.BearerTokenHashes.Count);
        Assert.True(trigger.RequiresAuthentication("/anything", "/anything"));
    }

    [Fact]
    public void Read_Jwt_ParsesKeysLookupPassByScopeAndIssuer()
    {
        using var rsa = JwtTestKeys.Rsa();
        using var ec = JwtTestKeys.EllipticCurve();
        var values = new Dictionary<string, string?>
        {
            [$"{Prefix}:AuthType"] = "jwt",
            [$"{Prefix}:Jwt:TokenLookup"] = "header:Authorization:Bearer ,cookie:token, query:jwt",
            [$"{Prefix}:Jwt:ClaimPassBy"] = "header:uid:X-User-Id,query:name:user",
            [$"{Prefix}:Jwt:Whitelist:0"] = "/public/*",
            [$"{Prefix}:Jwt:Issuer"] = "https://issuer.example",
            [$"{Prefix}:Jwt:Audience"] = "gateway",
            [$"{Prefix}:Jwt:ForwardToken"] = "true",
        };
        AddAll(values, rsa.JwksConfiguration($"{Prefix}:Jwt:Jwks", 0));
        AddAll(values, ec.JwksConfiguration($"{Prefix}:Jwt:Jwks", 1));

        var jwt = Read(values, out var errors).GetTrigger("r").Jwt;

        Assert.Empty(errors);
        Assert.NotNull(jwt);
        Assert.Equal(2, jwt.ValidationParameters.IssuerSigningKeys.Count());
        Assert.Equal(["rsa-1", "ec-1"], jwt.ValidationParameters.IssuerSigningKeys.Select(k => k.KeyId));
        Assert.Equal("https://issuer.example", jwt.ValidationParameters.ValidIssuer);
        Assert.True(jwt.ValidationParameters.ValidateAudience);
        Assert.Equal(3, jwt.TokenLookup.Count);
        Assert.Equal(new TokenSource(TokenLocation.Header, "Authorization", "Bearer "), jwt.TokenLookup[0]);
        Assert.Equal(new ClaimPassByRule(TokenLocation.Query, "name", "user"), jwt.ClaimPassBy[1]);
        Assert.False(jwt.Scope.IsVerified("/public/a", "/public/a"));
        Assert.True(jwt.Scope.IsVerified("/private", "/private"));
        Assert.True(jwt.ForwardToken);
    }

    [Fact]
    public void Read_JwksAsJsonText_IsAccepted()
    {
        using var rsa = JwtTestKeys.Rsa("text-key");
        var flat = rsa.JwksConfiguration("x").ToDictionary(p => p.Key.Split(':').Last(), p => p.Value);
        var json = $"{{\"keys\":[{{\"kty\":\"RSA\",\"kid\":\"text-key\",\"n\":\"{flat["n"]}\",\"e\":\"{flat["e"]}\"}}]}}";

        var jwt = Read(new() { [$"{Prefix}:AuthType"] = "jwt", [$"{Prefix}:Jwt:Jwks"] = json }, out var errors).GetTrigger("r").Jwt;

        Assert.Empty(errors);
        Assert.Equal("text-key", Assert.Single(jwt!.ValidationParameters.IssuerSigningKeys).KeyId);
        Assert.Equal(TokenSource.DefaultLookup, jwt.TokenLookup);
    }

    [Fact]
    public void Read_MethodsAndCors_BuildsThePolicy()
    {
        var settings = Read(new()
        {
            [$"{Prefix}:Methods:0"] = "get",
            [$"{Prefix}:Methods:1"] = "POST",
            [$"{Prefix}:Cors:AllowOrigins:0"] = "https://app.example",
            [$"{Prefix}:Cors:AllowHeaders:0"] = "X-Custom",
            [$"{Prefix}:Cors:ExposeHeaders:0"] = "X-Fc-Request-Id",
            [$"{Prefix}:Cors:MaxAge"] = "600",
            [$"{Prefix}:Cors:AllowCredentials"] = "true",
        }, out var errors);

        Assert.Empty(errors);
        var trigger = settings.GetTrigger("r");
        Assert.True(trigger.AllowsMethod("GET"));
        Assert.False(trigger.AllowsMethod("DELETE"));
        Assert.Equal("GET, POST", trigger.AllowHeader);
        var cors = trigger.Cors!;
        Assert.Equal(["https://app.example"], cors.Origins);
        Assert.Equal(["GET", "POST"], cors.Methods);
        Assert.Equal(["X-Custom"], cors.Headers);
        Assert.Equal(["X-Fc-Request-Id"], cors.ExposedHeaders);
        Assert.Equal(TimeSpan.FromSeconds(600), cors.PreflightMaxAge);
        Assert.True(cors.SupportsCredentials);
    }

    [Theory]
    [InlineData("AuthType=function", "r:AuthType", "anonymous, jwt or bearer")]
    [InlineData("AuthType=bearer", "r:BearerTokens", "no token")]
    [InlineData("AuthType=bearer|BearerTokens:0= padded ", "r:BearerTokens:0", "whitespace")]
    [InlineData("BearerTokens:0=t", "r:BearerTokens", "would not be checked")]
    [InlineData("Jwt:TokenLookup=cookie:token", "r:Jwt", "would not be checked")]
    [InlineData("AuthType=jwt", "r:Jwt:Jwks", "no JWKS")]
    [InlineData("AuthType=jwt|Jwt:Jwks={not json", "r:Jwt:Jwks", "not a valid JWKS")]
    [InlineData("AuthType=jwt|Jwt:Jwks={\"keys\":[]}", "r:Jwt:Jwks", "no RSA or EC signature key")]
    [InlineData("AuthType=jwt|Jwt:Jwks:keys:0:kty=oct|Jwt:Jwks:keys:0:k=c2VjcmV0", "r:Jwt:Jwks", "no RSA or EC signature key")]
    [InlineData("AuthType=jwt|Jwt:Jwks:keys:0:kty=RSA|Jwt:Jwks:keys:0:n=!!|Jwt:Jwks:keys:0:e=AQAB", "r:Jwt:Jwks", "no RSA or EC signature key")]
    [InlineData("AuthType=jwt|Jwt:TokenLookup=body:token", "r:Jwt:TokenLookup", "not a token source")]
    [InlineData("AuthType=jwt|Jwt:TokenLookup=header:", "r:Jwt:TokenLookup", "not a token source")]
    [InlineData("AuthType=jwt|Jwt:ClaimPassBy=header:uid", "r:Jwt:ClaimPassBy", "not a claim pass-by rule")]
    [InlineData("AuthType=jwt|Jwt:ClaimPassBy=cookie:uid:uid", "r:Jwt:ClaimPassBy", "not a claim pass-by rule")]
    [InlineData("AuthType=jwt|Jwt:ClaimPassBy=header:uid:x-fc-account-id", "r:Jwt:ClaimPassBy", "x-fc-")]
    [InlineData("AuthType=jwt|Jwt:Whitelist:0=/a|Jwt:Blacklist:0=/b", "r:Jwt", "both Whitelist and Blacklist")]
    [InlineData("AuthType=jwt|Jwt:Whitelist:0=public/*", "r:Jwt:Whitelist:0", "not a path pattern")]
    [InlineData("AuthType=jwt|Jwt:Blacklist:0=/a*b", "r:Jwt:Blacklist:0", "not a path pattern")]
    [InlineData("AuthType=jwt|Jwt:ForwardToken=yes", "r:Jwt:ForwardToken", "not a boolean")]
    [InlineData("AuthType=jwt|Jwt:Secret=x", "r:Jwt:Secret", "unknown setting")]
    [InlineData("Method:0=GET", "r:Method", "unknown setting")]
    [InlineData("Methods:0=CONNECT", "r:Methods:0", "not a supported method")]
    [InlineData("Cors:MaxAge=600", "r:Cors:AllowOrigins", "list the origins")]
    [InlineData("Cors:AllowOrigins:0=*|Cors:MaxAge=-1", "r:Cors:MaxAge", "0 or more")]
    [InlineData("Cors:AllowOrigins:0=*|Cors:AllowCredentials=true", "r:Cors:AllowCredentials", "'*' origin")]
    [InlineData("Cors:AllowOrigins:0=https://app.example/", "r:Cors:AllowOrigins", "not an origin")]
    [InlineData("Cors:AllowOrigins:0=app.example", "r:Cors:AllowOrigins", "not an origin")]
    [InlineData("Cors:AllowOrigins:0=*|Cors:AllowOrigin:0=x", "r:Cors:AllowOrigin", "unknown setting")]
    public void Read_InvalidValue_ReportsItWithItsKeyPath(string settings, string keyPath, string message)
    {
        var values = settings.Split('|').Select(s => s.Split('=', 2)).ToDictionary(p => $"{Prefix}:{p[0]}", p => (string?)p[1]);
        if (settings.Contains("AuthType=jwt", StringComparison.Ordinal) && !keyPath.EndsWith("Jwks", StringComparison.Ordinal))
        {
            using var keys = JwtTestKeys.Rsa();
            AddAll(values, keys.JwksConfiguration($"{Prefix}:Jwt:Jwks"));
        }

        Read(values, out var errors);

        var error = Assert.Single(errors);
        Assert.StartsWith($"Gateway:Triggers:{keyPath}:", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SeveralProblems_ReportsEveryOne()
    {
        Read(new()
        {
            ["Gateway:Triggers:a:AuthType"] = "bearer",
            ["Gateway:Triggers:a:Methods:0"] = "FETCH",
            ["Gateway:Triggers:b:AuthType"] = "jwt",
            ["Gateway:Triggers:b:Cors:AllowOrigins:0"] = "*",
            ["Gateway:Triggers:b:Cors:MaxAge"] = "-5",
        }, out var errors);

        Assert.Equal(4, errors.Count);
    }

    [Fact]
    public void Read_InvalidJwks_DoesNotQuoteKeyMaterial()
    {
        Read(new() { [$"{Prefix}:AuthType"] = "jwt", [$"{Prefix}:Jwt:Jwks"] = "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"SECRET-LOOKING\"" }, out var errors);

        Assert.DoesNotContain("SECRET-LOOKING", Assert.Single(errors), StringComparison.Ordinal);
    }

    private static GatewaySettings Read(Dictionary<string, string?> values, out IReadOnlyList<string> errors)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return GatewaySettingsReader.Read(configuration.GetSection("Gateway"), out errors);
    }

    private static void AddAll(Dictionary<string, string?> values, IEnumerable<KeyValuePair<string, string?>> pairs)
    {
        foreach (var (key, value) in pairs)
        {
            values[key] = value;
        }
    }
}
