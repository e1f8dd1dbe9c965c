using FcGateway.Configuration;
using FcGateway.Configuration.Triggers;
using Microsoft.Extensions.Configuration;
using static Gateway.Tests.Triggers.TriggerConfiguration;

namespace Gateway.Tests.Triggers;

public sealed class JwtSettingsReaderTests
{
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

    [Theory]
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
    public void Read_InvalidValue_ReportsItWithItsKeyPath(string settings, string keyPath, string message)
    {
        AssertSingleError(settings, keyPath, message);
    }

    [Theory]
    [InlineData("Jwt:Whitelist:0=public/*|Jwt:Blacklist:0=/b", "r:Jwt:Whitelist:0")]
    [InlineData("Jwt:Whitelist:0=/a|Jwt:Blacklist:0=/a*b", "r:Jwt:Blacklist:0")]
    [InlineData("Jwt:Whitelist:0=a|Jwt:Blacklist:0=b", "r:Jwt:Blacklist:0")]
    public void Read_WhitelistAndBlacklistWithAnInvalidPattern_ReportsTheConflictToo(string settings, string invalidPatternPath)
    {
        var errors = ReadJwt(settings);

        Assert.Contains(errors, error => error.StartsWith($"Gateway:Triggers:{invalidPatternPath}: ", StringComparison.Ordinal));
        Assert.Contains(errors, error => error.StartsWith($"{Prefix}:Jwt: both Whitelist and Blacklist are set", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\"Whitelist\": [], \"Blacklist\": [ \"/admin\" ]", true)]
    [InlineData("\"Whitelist\": [ \"/public/*\" ], \"Blacklist\": []", false)]
    public void Read_AnEmptyListBesideTheOther_IsNoConflict_TheOtherApplies(string lists, bool blacklisted)
    {
        // An empty list names no path: written beside the other (as an FC trigger's authConfig may carry both), it
        // restricts nothing and conflicts with nothing.
        using var rsa = JwtTestKeys.Rsa();
        var keys = new Dictionary<string, string?> { [$"{Prefix}:AuthType"] = "jwt" };
        AddAll(keys, rsa.JwksConfiguration($"{Prefix}:Jwt:Jwks"));
        using var json = new MemoryStream(System.Text.Encoding.UTF8.GetBytes($$"""{ "Gateway": { "Triggers": { "r": { "Jwt": { {{lists}} } } } } }"""));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(keys).AddJsonStream(json).Build();

        var jwt = GatewaySettingsReader.Read(configuration.GetSection("Gateway"), out var errors).GetTrigger("r").Jwt;

        Assert.Empty(errors);
        Assert.True(jwt!.Scope.IsVerified("/admin", "/admin"));
        Assert.False(jwt.Scope.IsVerified("/public/a", "/public/a"));
        Assert.Equal(!blacklisted, jwt.Scope.IsVerified("/other", "/other"));
    }

    [Theory]
    [InlineData("ClaimPassBy", "header:uid,query:ok:ok,header:a:Host,cookie:c:c", "'header:uid'|'header:a:Host'|'cookie:c:c'")]
    [InlineData("TokenLookup", "body:token,header:,query:jwt", "'body:token'|'header:'")]
    public void Read_SeveralBadListEntries_ReportsEachOne(string key, string list, string quotedEntries)
    {
        var errors = ReadJwt($"Jwt:{key}={list}");

        var entries = quotedEntries.Split('|');
        Assert.Equal(entries.Length, errors.Count);
        Assert.All(errors, error => Assert.StartsWith($"{Prefix}:Jwt:{key}: ", error, StringComparison.Ordinal));
        Assert.All(entries, entry => Assert.Single(errors, error => error.Contains(entry, StringComparison.Ordinal)));
    }

    [Fact]
    public void Read_RsaKeyUnder2048Bits_IsRefusedNamingItsKid()
    {
        using var strong = JwtTestKeys.Rsa("strong");
        using var weak = JwtTestKeys.Rsa("weak", bits: 1024);
        var values = new Dictionary<string, string?> { [$"{Prefix}:AuthType"] = "jwt" };
        AddAll(values, strong.JwksConfiguration($"{Prefix}:Jwt:Jwks", 0));
        AddAll(values, weak.JwksConfiguration($"{Prefix}:Jwt:Jwks", 1));

        Read(values, out var errors);

        var error = Assert.Single(errors);
        Assert.StartsWith($"{Prefix}:Jwt:Jwks: the RSA key 'weak' has 1024 bits", error, StringComparison.Ordinal);
        Assert.Contains("2048 bits or more", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TwoKeysWithOneKid_AreRefusedAsAmbiguous()
    {
        using var first = JwtTestKeys.Rsa("shared");
        using var second = JwtTestKeys.EllipticCurve("shared");
        var values = new Dictionary<string, string?> { [$"{Prefix}:AuthType"] = "jwt" };
        AddAll(values, first.JwksConfiguration($"{Prefix}:Jwt:Jwks", 0));
        AddAll(values, second.JwksConfiguration($"{Prefix}:Jwt:Jwks", 1));

        Read(values, out var errors);

        var error = Assert.Single(errors);
        Assert.StartsWith($"{Prefix}:Jwt:Jwks: 2 keys have the kid 'shared'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WeakKeyAndSharedKid_ReportsBoth()
    {
        using var first = JwtTestKeys.Rsa("shared", bits: 1024);
        using var second = JwtTestKeys.Rsa("shared");
        var values = new Dictionary<string, string?> { [$"{Prefix}:AuthType"] = "jwt" };
        AddAll(values, first.JwksConfiguration($"{Prefix}:Jwt:Jwks", 0));
        AddAll(values, second.JwksConfiguration($"{Prefix}:Jwt:Jwks", 1));

        Read(values, out var errors);

        Assert.Equal(2, errors.Count);
    }

    [Theory]
    [InlineData("RSA", "ES256")]
    [InlineData("RSA", "HS256")]
    [InlineData("RSA", "none")]
    [InlineData("P-256", "ES384")]
    [InlineData("P-256", "RS256")]
    public void Read_KeyDeclaringAnAlgOfAnotherKind_IsRefusedNamingItsKid(string key, string declared)
    {
        using var keys = key == "RSA" ? JwtTestKeys.Rsa("declared") : JwtTestKeys.EllipticCurve("declared");
        keys.DeclaredAlgorithm = declared;
        var values = new Dictionary<string, string?> { [$"{Prefix}:AuthType"] = "jwt" };
        AddAll(values, keys.JwksConfiguration($"{Prefix}:Jwt:Jwks"));

        Read(values, out var errors);

        var error = Assert.Single(errors);
        Assert.StartsWith($"{Prefix}:Jwt:Jwks: the key 'declared' declares alg '{declared}', which it cannot verify", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RSA", "PS512")]
    [InlineData("P-256", "ES256")]
    public void Read_KeyDeclaringItsOwnAlg_IsAccepted(string key, string declared)
    {
        using var keys = key == "RSA" ? JwtTestKeys.Rsa() : JwtTestKeys.EllipticCurve();
        keys.DeclaredAlgorithm = declared;
        var values = new Dictionary<string, string?> { [$"{Prefix}:AuthType"] = "jwt" };
        AddAll(values, keys.JwksConfiguration($"{Prefix}:Jwt:Jwks"));

        Read(values, out var errors);

        Assert.Empty(errors);
    }

    [Fact]
    public void Read_InvalidJwks_DoesNotQuoteKeyMaterial()
    {
        Read(new() { [$"{Prefix}:AuthType"] = "jwt", [$"{Prefix}:Jwt:Jwks"] = "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"SECRET-LOOKING\"" }, out var errors);

        Assert.DoesNotContain("SECRET-LOOKING", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_JwksObjectWithAnEmptyKeyList_InAJsonFile_SaysItHoldsNoKey()
    {
        using var json = new MemoryStream("""{"Gateway":{"Triggers":{"r":{"AuthType":"jwt","Jwt":{"Jwks":{"keys":[]}}}}}}"""u8.ToArray());
        var values = new ConfigurationBuilder().AddJsonStream(json).Build().AsEnumerable().ToDictionary(pair => pair.Key, pair => pair.Value);

        Read(values, out var errors);

        Assert.StartsWith($"{Prefix}:Jwt:Jwks: holds no RSA or EC signature key", Assert.Single(errors), StringComparison.Ordinal);
    }

    /// <summary>The errors of a jwt trigger with a valid JWKS and <paramref name="settings"/> (<c>key=value</c> pairs under it, separated by <c>|</c>).</summary>
    private static IReadOnlyList<string> ReadJwt(string settings)
    {
        using var keys = JwtTestKeys.Rsa();
        var values = settings.Split('|').Select(pair => pair.Split('=', 2)).ToDictionary(pair => $"{Prefix}:{pair[0]}", pair => (string?)pair[1]);
        values[$"{Prefix}:AuthType"] = "jwt";
        AddAll(values, keys.JwksConfiguration($"{Prefix}:Jwt:Jwks"));
        Read(values, out var errors);
        return errors;
    }
}
