using FcGateway.Configuration;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Configuration;

public sealed class GatewaySettingsReaderTests
{
    [Fact]
    public void Read_EmptySection_DefaultsAndNoErrors()
    {
        var settings = Read([], out var errors);

        Assert.Empty(errors);
        Assert.Equal("", settings.AccountId);
        Assert.Equal("", settings.Region);
        Assert.Equal(8192, settings.Limits.MaxRequestHeaderBytes);
        Assert.Equal(4096, settings.Limits.MaxPathAndQueryBytes);
        Assert.Equal(33554432, settings.Limits.MaxRequestBodyBytes);
        Assert.Equal(8192, settings.Limits.MaxResponseHeaderBytes);
        Assert.Equal(33554432, settings.Limits.MaxResponseBodyBytes);
        Assert.Equal(131072, settings.Limits.MaxAsyncRequestBodyBytes);
        Assert.Equal(1000, settings.InvokeApi.MaxPendingAsyncInvocations);
        Assert.Null(settings.InvokeApi.AsyncRetryAttempts);
        Assert.True(settings.TrustedProxies.IsEmpty);
        Assert.False(settings.ContentDispositionAttachment);
        Assert.False(settings.RejectClientFcHeaders);
        Assert.Empty(settings.Functions);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Read_EmptyAsyncRetryAttempts_LeavesEachPlatformsDefault(string value)
    {
        var settings = Read(new() { ["Gateway:InvokeApi:AsyncRetryAttempts"] = value }, out var errors);

        Assert.Empty(errors);
        Assert.Null(settings.InvokeApi.AsyncRetryAttempts);
        Assert.Equal(3, settings.InvokeApi.RetryAttemptsOf(FunctionSettings.Default));
    }

    [Fact]
    public void Read_FunctionWithoutSettings_UsesFunctionDefaults()
    {
        var settings = Read(new() { ["Gateway:Functions:echo:Credentials:AccessKeyId"] = "" }, out var errors);

        Assert.Empty(errors);
        var echo = settings.GetFunction("echo");
        Assert.Equal(TimeSpan.FromMinutes(1), echo.Timeout);
        Assert.Equal(TimeSpan.Parse("00:01:00", System.Globalization.CultureInfo.InvariantCulture), echo.Timeout);
        Assert.Equal(512, echo.MemorySize);
        Assert.Equal("LATEST", echo.Qualifier);
        Assert.Equal("LATEST", echo.VersionId);
        Assert.Equal("index.handler", echo.Handler);
        Assert.False(echo.Initializer);
        Assert.Equal("index.initializer", echo.InitializerHandler);
        Assert.Equal(TimeSpan.FromSeconds(30), echo.InitializationTimeout);
        Assert.Null(echo.Credentials.AccessKeyId);
        Assert.Null(echo.Credentials.AccessKeySecret);
        Assert.Null(echo.Credentials.SecurityToken);
    }

    [Fact]
    public void GetFunction_UnknownFunction_ReturnsDefaults()
    {
        var settings = Read([], out _);

        Assert.Same(FunctionSettings.Default, settings.GetFunction("missing"));
        Assert.Equal(TimeSpan.FromMinutes(1), FunctionSettings.Default.Timeout);
        Assert.Equal(512, FunctionSettings.Default.MemorySize);
        Assert.Equal("LATEST", FunctionSettings.Default.Qualifier);
    }

    [Fact]
    public void Read_ValidValues_Parsed()
    {
        var settings = Read(new()
        {
            ["Gateway:AccountId"] = " 1234567890 ",
            ["Gateway:Region"] = "cn-hangzhou",
            ["Gateway:Limits:MaxRequestHeaderBytes"] = "16384",
            ["Gateway:Limits:MaxPathAndQueryBytes"] = "1",
            ["Gateway:Limits:MaxRequestBodyBytes"] = "1048576",
            ["Gateway:Limits:MaxResponseHeaderBytes"] = "2147483647",
            ["Gateway:Limits:MaxResponseBodyBytes"] = "6291456",
            ["Gateway:ForwardedHeaders:TrustedProxies:0"] = "10.0.0.0/8",
            ["Gateway:ForwardedHeaders:TrustedProxies:1"] = "192.168.1.1",
            ["Gateway:ForwardedHeaders:TrustedProxies:2"] = "fd00::/8",
            ["Gateway:ForwardedHeaders:TrustedProxies:3"] = "",
            ["Gateway:ContentDispositionAttachment"] = "true",
            ["Gateway:RejectClientFcHeaders"] = "True",
            ["Gateway:Functions:echo:Timeout"] = "00:00:30",
            ["Gateway:Functions:echo:MemorySize"] = "1024",
            ["Gateway:Functions:echo:Qualifier"] = "prod",
            ["Gateway:Functions:echo:VersionId"] = "3",
            ["Gateway:Functions:echo:Handler"] = "main.handle",
            ["Gateway:Functions:echo:Initializer"] = "true",
            ["Gateway:Functions:echo:InitializerHandler"] = "main.init",
            ["Gateway:Functions:echo:InitializationTimeout"] = "00:00:05",
            ["Gateway:Functions:echo:Credentials:AccessKeyId"] = "id",
            ["Gateway:Functions:echo:Credentials:AccessKeySecret"] = "secret",
            ["Gateway:Functions:echo:Credentials:SecurityToken"] = "token",
        }, out var errors);

        Assert.Empty(errors);
        Assert.Equal("1234567890", settings.AccountId);
        Assert.Equal("cn-hangzhou", settings.Region);
        Assert.Equal(
            new GatewayLimits
            {
                MaxRequestHeaderBytes = 16384,
                MaxPathAndQueryBytes = 1,
                MaxRequestBodyBytes = 1048576,
                MaxResponseHeaderBytes = int.MaxValue,
                MaxResponseBodyBytes = 6291456,
            },
            settings.Limits);
        Assert.True(settings.TrustedProxies.Contains(System.Net.IPAddress.Parse("10.9.8.7")));
        Assert.True(settings.TrustedProxies.Contains(System.Net.IPAddress.Parse("192.168.1.1")));
        Assert.True(settings.TrustedProxies.Contains(System.Net.IPAddress.Parse("fd12::1")));
        Assert.False(settings.TrustedProxies.Contains(System.Net.IPAddress.Parse("192.168.1.2")));
        Assert.True(settings.ContentDispositionAttachment);
        Assert.True(settings.RejectClientFcHeaders);
        var echo = settings.GetFunction("echo");
        Assert.Equal(TimeSpan.FromSeconds(30), echo.Timeout);
        Assert.Equal(1024, echo.MemorySize);
        Assert.Equal("prod", echo.Qualifier);
        Assert.Equal("3", echo.VersionId);
        Assert.Equal("main.handle", echo.Handler);
        Assert.True(echo.Initializer);
        Assert.Equal("main.init", echo.InitializerHandler);
        Assert.Equal(TimeSpan.FromSeconds(5), echo.InitializationTimeout);
        Assert.Equal(new FunctionCredentials { AccessKeyId = "id", AccessKeySecret = "secret", SecurityToken = "token" }, echo.Credentials);
    }

    [Theory]
    [InlineData("Limits:MaxRequestHeaderBytes", "-1")]
    [InlineData("Limits:MaxRequestHeaderBytes", "0")]
    [InlineData("Limits:MaxRequestHeaderBytes", "abc")]
    [InlineData("Limits:MaxRequestHeaderBytes", "1.5")]
    [InlineData("Limits:MaxRequestHeaderBytes", "8 KB")]
    [InlineData("Limits:MaxRequestHeaderBytes", "2147483648")]
    [InlineData("Limits:MaxPathAndQueryBytes", "-4096")]
    [InlineData("Limits:MaxRequestBodyBytes", "0")]
    [InlineData("Limits:MaxRequestBodyBytes", "32MB")]
    [InlineData("Limits:MaxRequestBodyBytes", "99999999999999")]
    [InlineData("Limits:MaxAsyncRequestBodyBytes", "0")]
    [InlineData("InvokeApi:MaxPendingAsyncInvocations", "0")]
    [InlineData("InvokeApi:MaxPendingAsyncInvocations", "many")]
    [InlineData("InvokeApi:AsyncRetryAttempts", "-1")]
    [InlineData("InvokeApi:AsyncRetryAttempts", "9")]
    [InlineData("Limits:MaxResponseHeaderBytes", "none")]
    [InlineData("Limits:MaxResponseBodyBytes", "-1")]
    [InlineData("ForwardedHeaders:TrustedProxies:0", "not-an-ip")]
    [InlineData("ForwardedHeaders:TrustedProxies:0", "10.0.0.0/33")]
    [InlineData("ForwardedHeaders:TrustedProxies:0", "300.1.1.1")]
    [InlineData("ForwardedHeaders:TrustedProxies:0", "10.0.0.0/")]
    [InlineData("ForwardedHeaders:TrustedProxies:0", "fd00::/129")]
    [InlineData("ContentDispositionAttachment", "yes")]
    [InlineData("RejectClientFcHeaders", "1")]
    [InlineData("AccountId", "123\n456")]
    [InlineData("Region", "cn\r\nX-Injected: 1")]
    [InlineData("Functions:echo:Timeout", "abc")]
    [InlineData("Functions:echo:Timeout", "00:00:00")]
    [InlineData("Functions:echo:Timeout", "-00:00:01")]
    [InlineData("Functions:echo:Timeout", "30s")]
    [InlineData("Functions:echo:Timeout", "30")]
    [InlineData("Functions:echo:InitializationTimeout", "0")]
    [InlineData("Functions:echo:MemorySize", "0")]
    [InlineData("Functions:echo:MemorySize", "512MB")]
    [InlineData("Functions:echo:Initializer", "on")]
    [InlineData("Functions:echo:Qualifier", " ")]
    [InlineData("Functions:echo:Handler", "a\nb")]
    public void Read_InvalidValue_ReportedWithItsKeyPath(string key, string value)
    {
        Read(new() { [$"Gateway:{key}"] = value }, out var errors);

        var error = Assert.Single(errors);
        Assert.StartsWith($"Gateway:{key}:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InvalidLimit_KeepsTheDefault()
    {
        var settings = Read(new() { ["Gateway:Limits:MaxRequestBodyBytes"] = "-1" }, out _);

        Assert.Equal(33554432, settings.Limits.MaxRequestBodyBytes);
    }

    [Fact]
    public void Read_SeveralInvalidValues_EveryOneReportedAtOnce()
    {
        string[] keys =
        [
            "Gateway:ForwardedHeaders:TrustedProxies:0",
            "Gateway:ForwardedHeaders:TrustedProxies:2",
            "Gateway:Limits:MaxRequestHeaderBytes",
            "Gateway:Limits:MaxPathAndQueryBytes",
            "Gateway:Limits:MaxRequestBodyBytes",
            "Gateway:ContentDispositionAttachment",
            "Gateway:Functions:echo:Timeout",
            "Gateway:Functions:echo:MemorySize",
            "Gateway:Functions:other:InitializationTimeout",
            "Gateway:Functions:other:Initializer",
        ];

        Read(new()
        {
            [keys[0]] = "10.0.0.0/99",
            ["Gateway:ForwardedHeaders:TrustedProxies:1"] = "10.0.0.1",
            [keys[1]] = "nonsense",
            [keys[2]] = "-1",
            [keys[3]] = "0",
            [keys[4]] = "lots",
            [keys[5]] = "maybe",
            [keys[6]] = "soon",
            [keys[7]] = "-512",
            [keys[8]] = "never",
            [keys[9]] = "perhaps",
        }, out var errors);

        Assert.Equal(keys.Length, errors.Count);
        foreach (var key in keys)
        {
            Assert.Single(errors, error => error.StartsWith(key + ":", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("Limits:MaxRequestHeaderBytes", "1 and ")]
    [InlineData("ForwardedHeaders:TrustedProxies:0", "10.0.0.0/8")]
    [InlineData("Functions:echo:Timeout", "00:00:30")]
    [InlineData("ContentDispositionAttachment", "true or false")]
    public void Read_InvalidValue_MessageTellsHowToFixIt(string key, string hint)
    {
        Read(new() { [$"Gateway:{key}"] = "???" }, out var errors);

        Assert.Contains(hint, Assert.Single(errors), StringComparison.Ordinal);
    }

    private static GatewaySettings Read(Dictionary<string, string?> values, out IReadOnlyList<string> errors)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return GatewaySettingsReader.Read(configuration.GetSection(GatewaySettingsReader.SectionName), out errors);
    }
}
