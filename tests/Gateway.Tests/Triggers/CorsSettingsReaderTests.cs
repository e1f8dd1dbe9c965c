using static Gateway.Tests.Triggers.TriggerConfiguration;

namespace Gateway.Tests.Triggers;

public sealed class CorsSettingsReaderTests
{
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
    [InlineData("Cors:MaxAge=600", "r:Cors:AllowOrigins", "list the origins")]
    [InlineData("Cors:AllowOrigins:0=*|Cors:MaxAge=-1", "r:Cors:MaxAge", "0 or more")]
    [InlineData("Cors:AllowOrigins:0=*|Cors:AllowCredentials=true", "r:Cors:AllowCredentials", "'*' origin")]
    [InlineData("Cors:AllowOrigins:0=https://app.example/", "r:Cors:AllowOrigins", "not an origin")]
    [InlineData("Cors:AllowOrigins:0=app.example", "r:Cors:AllowOrigins", "not an origin")]
    [InlineData("Cors:AllowOrigins:0=*|Cors:AllowOrigin:0=x", "r:Cors:AllowOrigin", "unknown setting")]
    public void Read_InvalidValue_ReportsItWithItsKeyPath(string settings, string keyPath, string message)
    {
        AssertSingleError(settings, keyPath, message);
    }
}
