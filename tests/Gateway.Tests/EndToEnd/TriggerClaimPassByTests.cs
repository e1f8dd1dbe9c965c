using System.Net;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Triggers;

namespace Gateway.Tests.EndToEnd;

public sealed class TriggerClaimPassByTests
{
    private const string Trigger = "Gateway:Triggers:echo";

    [Fact]
    public async Task Claims_AreCopiedIntoHeadersAndQuery_OverwritingForgedValues()
    {
        using var keys = JwtTestKeys.Rsa();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, keys);
        var token = keys.Token(new Dictionary<string, object> { ["uid"] = "u-42", ["name"] = "Ada" });

        var response = await TriggerAuthenticationTests.SendAsync(gateway, "/echo/?uid=forged&page=2", $"Bearer {token}",
            request => request.Headers.Add("X-User-Name", "forged"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var @event = worker.Received.Single().Event;
        Assert.Equal("Ada", @event.GetProperty("headers").GetProperty("X-User-Name").GetString());
        var query = @event.GetProperty("queryParameters");
        Assert.Equal("u-42", query.GetProperty("uid").GetString());
        Assert.Equal("2", query.GetProperty("page").GetString());
        Assert.False(@event.GetProperty("headers").TryGetProperty("Authorization", out _));
    }

    [Theory]
    [InlineData("Ada\r\nX-Injected: yes")]
    [InlineData("Ada\u0000")]
    public async Task AClaimNoHeaderValueMayHold_IsNotPassedAsAHeader_NorIsTheForgedValueKept(string name)
    {
        using var keys = JwtTestKeys.Rsa();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, keys);
        var token = keys.Token(new Dictionary<string, object> { ["uid"] = "u-42", ["name"] = name });

        var response = await TriggerAuthenticationTests.SendAsync(gateway, "/echo/", $"Bearer {token}", request => request.Headers.Add("X-User-Name", "forged"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var headers = worker.Received.Single().Event.GetProperty("headers");
        Assert.False(headers.TryGetProperty("X-User-Name", out _));
        Assert.False(headers.TryGetProperty("X-Injected", out _));
    }

    /// <summary>
    /// A claim outside ASCII (an identity provider's display name) reaches the function in UTF-8, as the client's own
    /// header values do, in the event and in a web function's request; it was dropped, as if the token lacked it.
    /// </summary>
    [Theory]
    [InlineData("event", "张三")]
    [InlineData("event", "Zoë Ångström")]
    [InlineData("web", "张三")]
    [InlineData("web", "Zoë Ångström")]
    public async Task AClaimOutsideAscii_IsPassedAsTheHeader(string mode, string name)
    {
        using var keys = JwtTestKeys.Rsa();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, keys, c => c.Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", mode));
        var token = keys.Token(new Dictionary<string, object> { ["name"] = name });

        var response = await TriggerAuthenticationTests.SendAsync(gateway, "/echo/", $"Bearer {token}", request => request.Headers.Add("X-User-Name", "forged"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(worker.Received);
        Assert.Equal(name, mode == "web" ? received.Header("X-User-Name") : received.Event.GetProperty("headers").GetProperty("X-User-Name").GetString());
    }

    /// <summary>A claim that is JSON null holds no value: the function sees neither header nor parameter for it, as for a missing claim.</summary>
    [Fact]
    public async Task AClaimThatIsNull_IsPassedAsAMissingOneIs_NotAsAnEmptyValue()
    {
        using var keys = JwtTestKeys.Rsa();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, keys);
        var token = keys.Token(new Dictionary<string, object> { ["uid"] = null!, ["name"] = null! });

        var response = await TriggerAuthenticationTests.SendAsync(gateway, "/echo/?uid=forged", $"Bearer {token}", request => request.Headers.Add("X-User-Name", "forged"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var @event = worker.Received.Single().Event;
        Assert.False(@event.GetProperty("headers").TryGetProperty("X-User-Name", out _));
        Assert.False(@event.GetProperty("queryParameters").TryGetProperty("uid", out _));
    }

    [Fact]
    public async Task AClaimInTheQuery_LeavesTheOtherParametersAsSent()
    {
        using var keys = JwtTestKeys.Rsa();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, keys);
        var token = keys.Token(new Dictionary<string, object> { ["uid"] = "u-42" });

        var response = await TriggerAuthenticationTests.SendAsync(gateway, "/echo/?UID=forged&a=1&A=2&b=x+y", $"Bearer {token}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var query = worker.Received.Single().Event.GetProperty("queryParameters");
        Assert.Equal("u-42", query.GetProperty("uid").GetString());
        Assert.False(query.TryGetProperty("UID", out _));
        Assert.Equal("1", query.GetProperty("a").GetString());
        Assert.Equal("2", query.GetProperty("A").GetString());
        Assert.Equal("x y", query.GetProperty("b").GetString());
    }

    [Fact]
    public async Task MissingClaim_RemovesTheForgedValue()
    {
        using var keys = JwtTestKeys.Rsa();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, keys);

        var response = await TriggerAuthenticationTests.SendAsync(gateway, "/echo/?uid=forged", $"Bearer {keys.Token()}",
            request => request.Headers.Add("X-User-Name", "forged"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var @event = worker.Received.Single().Event;
        Assert.False(@event.GetProperty("headers").TryGetProperty("X-User-Name", out _));
        Assert.False(@event.GetProperty("queryParameters").TryGetProperty("uid", out _));
    }

    [Theory]
    [InlineData("Ada")]
    [InlineData(null)]
    public async Task ForgedHeaderSpelledWithUnderscores_IsRemoved_SoOnlyTheClaimRemains(string? name)
    {
        using var keys = JwtTestKeys.Rsa();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, keys);
        var token = keys.Token(name is null ? null : new Dictionary<string, object> { ["sub"] = "user-1", ["name"] = name });

        var response = await TriggerAuthenticationTests.SendAsync(gateway, "/echo/", $"Bearer {token}", request =>
        {
            request.Headers.TryAddWithoutValidation("X_User_Name", "forged");
            request.Headers.TryAddWithoutValidation("x-user_NAME", "forged");
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var spellings = TriggerAuthenticationTests.EventHeaders(worker).EnumerateObject()
            .Where(header => header.Name.Replace('_', '-').Equals("X-User-Name", StringComparison.OrdinalIgnoreCase))
            .Select(header => $"{header.Name}: {header.Value.GetString()}");
        Assert.Equal(name is null ? [] : [$"X-User-Name: {name}"], spellings);
    }

    [Fact]
    public async Task WhitelistedPath_StillRemovesForgedClaimsAndTheUnverifiedToken()
    {
        using var keys = JwtTestKeys.Rsa();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, keys, c => c.Set($"{Trigger}:Jwt:Whitelist:0", "/echo/public*"));

        var response = await TriggerAuthenticationTests.SendAsync(gateway, "/echo/public?uid=forged", "Bearer unverified.token.value",
            request => request.Headers.Add("X-User-Name", "forged"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var @event = worker.Received.Single().Event;
        Assert.False(@event.GetProperty("headers").TryGetProperty("Authorization", out _));
        Assert.False(@event.GetProperty("headers").TryGetProperty("X-User-Name", out _));
        Assert.False(@event.GetProperty("queryParameters").TryGetProperty("uid", out _));
    }

    [Fact]
    public async Task ForwardToken_True_LeavesTheTokenInTheRequest()
    {
        using var keys = JwtTestKeys.Rsa();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await StartAsync(worker, keys, c => c.Set($"{Trigger}:Jwt:ForwardToken", "true"));
        var token = keys.Token();

        var response = await TriggerAuthenticationTests.SendAsync(gateway, "/echo/", $"Bearer {token}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"Bearer {token}", TriggerAuthenticationTests.EventHeaders(worker).GetProperty("Authorization").GetString());
    }

    private static Task<TestGateway> StartAsync(TestWorker worker, JwtTestKeys keys, Action<GatewayConfiguration>? configure = null) =>
        TriggerAuthenticationTests.StartJwtAsync(worker, keys, c =>
        {
            c.Set($"{Trigger}:Jwt:ClaimPassBy", "query:uid:uid,header:name:X-User-Name");
            configure?.Invoke(c);
        });
}
