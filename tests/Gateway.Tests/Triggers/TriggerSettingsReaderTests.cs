using FcGateway.Configuration.Triggers;
using static Gateway.Tests.Triggers.TriggerConfiguration;

namespace Gateway.Tests.Triggers;

public sealed class TriggerSettingsReaderTests
{
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
    public void Read_Function_TakesTheGatewaysAccessKeys()
    {
        var settings = Read(new() { [$"{Prefix}:AuthType"] = "function", ["Gateway:AccessKeys:LTAI5tKey"] = "secret" }, out var errors);

        Assert.Empty(errors);
        Assert.Equal(TriggerAuthType.Function, settings.GetTrigger("r").AuthType);
        Assert.True(settings.GetTrigger("r").RequiresAuthentication("/anything", "/anything"));
        Assert.Equal("secret", settings.AccessKeys["LTAI5tKey"]);
    }

    [Fact]
    public void Read_AnAccessKeyWithoutSecret_IsAProblem()
    {
        Read(new() { [$"{Prefix}:AuthType"] = "function", ["Gateway:AccessKeys:LTAI5tKey"] = " " }, out var errors);

        Assert.Contains(errors, error => error.StartsWith("Gateway:AccessKeys:LTAI5tKey: the AccessKey secret of LTAI5tKey cannot be empty", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("AuthType=signed", "r:AuthType", "anonymous, function, aws_iam, jwt or bearer")]
    [InlineData("AuthType=aws_iam", "r:AuthType", "aws_iam needs the AWS access keys whose signatures it takes")]
    [InlineData("AuthType=function", "r:AuthType", "function needs the AccessKey pairs whose signatures it takes")]
    [InlineData("AuthType=bearer", "r:BearerTokens", "no token")]
    [InlineData("AuthType=bearer|BearerTokens:0= padded ", "r:BearerTokens:0", "whitespace")]
    [InlineData("BearerTokens:0=t", "r:BearerTokens", "would not be checked")]
    [InlineData("Jwt:TokenLookup=cookie:token", "r:Jwt", "would not be checked")]
    [InlineData("Method:0=GET", "r:Method", "unknown setting")]
    [InlineData("AuthType=jwtt|Jwt:TokenLookup=cookie:token", "r:AuthType", "anonymous, function, aws_iam, jwt or bearer")]
    [InlineData("AuthType=bearr|BearerTokens:0=t", "r:AuthType", "anonymous, function, aws_iam, jwt or bearer")]
    [InlineData("AuthType:Type=jwt|Jwt:TokenLookup=cookie:token", "r:AuthType", "single value")]
    [InlineData("Methods:0=CONNECT", "r:Methods:0", "not a supported method")]
    public void Read_InvalidValue_ReportsItWithItsKeyPath(string settings, string keyPath, string message)
    {
        AssertSingleError(settings, keyPath, message);
    }

    [Fact]
    public void Read_JwtWithoutAuthTypeJwt_AlsoListsItsUnknownKeys()
    {
        Read(new() { [$"{Prefix}:Jwt:Isuer"] = "https://login.example", [$"{Prefix}:Jwt:Audience"] = "a" }, out var errors);

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith($"{Prefix}:Jwt: JWT settings are present but AuthType is 'anonymous'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith($"{Prefix}:Jwt:Isuer: unknown setting", StringComparison.Ordinal));
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
}
