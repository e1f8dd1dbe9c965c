using System.Text;
using FcGateway.Configuration;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Configuration;

/// <summary>
/// A key holding another kind of setting than it takes — a value where a list or an object is expected, or the reverse —
/// is an error naming the key, never skipped as if it were unset (a skipped Methods list would allow every method).
/// </summary>
public sealed class GatewaySettingsReaderShapeTests
{
    [Theory]
    [InlineData("""{ "Triggers": { "b": { "Methods": "GET" } } }""", "Gateway:Triggers:b:Methods: must be a list")]
    [InlineData("""{ "Triggers": { "b": { "Methods": { "first": "GET" } } } }""", "Gateway:Triggers:b:Methods: must be a list")]
    [InlineData("""{ "Triggers": { "b": { "Methods": [ { "name": "GET" } ] } } }""", "Gateway:Triggers:b:Methods:0: must be a single value")]
    [InlineData("""{ "Triggers": { "b": { "Cors": { "AllowOrigins": "*" } } } }""", "Gateway:Triggers:b:Cors:AllowOrigins: must be a list")]
    [InlineData("""{ "Triggers": { "b": { "AuthType": { "type": "jwt" } } } }""", "Gateway:Triggers:b:AuthType: must be a single value")]
    [InlineData("""{ "Triggers": { "b": "jwt" } }""", "Gateway:Triggers:b: must be an object")]
    [InlineData("""{ "ForwardedHeaders": { "TrustedProxies": "10.9.9.9" } }""", "Gateway:ForwardedHeaders:TrustedProxies: must be a list")]
    [InlineData("""{ "ForwardedHeaders": "10.9.9.9" }""", "Gateway:ForwardedHeaders: must be an object")]
    [InlineData("""{ "Limits": 5 }""", "Gateway:Limits: must be an object")]
    [InlineData("""{ "Limits": { "MaxRequestBodyBytes": [ 10 ] } }""", "Gateway:Limits:MaxRequestBodyBytes: must be a single value")]
    [InlineData("""{ "InvokeApi": { "BearerTokens": "s3cret" } }""", "Gateway:InvokeApi:BearerTokens: must be a list")]
    [InlineData("""{ "Functions": { "g": "str" } }""", "Gateway:Functions:g: must be an object")]
    [InlineData("""{ "Functions": { "g": { "Credentials": "x" } } }""", "Gateway:Functions:g:Credentials: must be an object")]
    [InlineData("""{ "Functions": { "g": { "Timeout": { "seconds": 30 } } } }""", "Gateway:Functions:g:Timeout: must be a single value")]
    [InlineData("""{ "Health": { "ReadinessDetail": [ "Nobody" ] } }""", "Gateway:Health:ReadinessDetail: must be a single value")]
    public void Read_WrongKindOfSetting_FirstErrorNamesKey(string gateway, string problem)
    {
        var errors = Read(gateway);

        Assert.NotEmpty(errors);
        Assert.StartsWith(problem, errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TokenGivenAsValue_ErrorDoesNotQuoteIt()
    {
        var errors = Read("""{ "InvokeApi": { "BearerTokens": "s3cret" } }""");

        Assert.DoesNotContain("s3cret", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "Triggers": { "b": { "Methods": [ "GET", "POST" ], "Cors": { "AllowOrigins": [ "*" ] } } } }""")]
    [InlineData("""{ "Triggers": { "b": { "Methods": [] } } }""")]
    [InlineData("""{ "Limits": {}, "Functions": { "g": {} } }""")]
    [InlineData("""{ "ForwardedHeaders": { "TrustedProxies": [ "10.9.9.9" ] }, "InvokeApi": { "BearerTokens": [ "s3cret" ] } }""")]
    public void Read_EveryKeyHoldingItsKind_Accepted(string gateway)
    {
        Assert.Empty(Read(gateway));
    }

    private static IReadOnlyList<string> Read(string gateway)
    {
        using var json = new MemoryStream(Encoding.UTF8.GetBytes($$"""{ "Gateway": {{gateway}} }"""));
        var configuration = new ConfigurationBuilder().AddJsonStream(json).Build();
        GatewaySettingsReader.Read(configuration.GetSection(GatewaySettingsReader.SectionName), out var errors);
        return errors;
    }
}
