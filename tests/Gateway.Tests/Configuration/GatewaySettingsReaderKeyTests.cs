using FcGateway.Configuration;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Configuration;

/// <summary>The reader's unknown-key checks: a typo anywhere under <c>Gateway</c> is an error naming the key and the valid ones.</summary>
public sealed class GatewaySettingsReaderKeyTests
{
    [Theory]
    [InlineData("Gateway:RejectClientFcHeader", "RejectClientFcHeaders")]
    [InlineData("Gateway:Limits:MaxRequestBodyByte", "MaxRequestBodyBytes")]
    [InlineData("Gateway:ForwardedHeaders:TrustedProxy:0", "TrustedProxies")]
    [InlineData("Gateway:InvokeApi:Enable", "BearerTokens")]
    [InlineData("Gateway:Health:Readiness", "ReadinessDetail")]
    [InlineData("Gateway:Functions:echo:InstanceConcurency", "InstanceConcurrency")]
    [InlineData("Gateway:Functions:echo:Credentials:AccessKey", "AccessKeySecret")]
    public void Read_UnknownKey_ErrorNamesKeyAndListsValidKeys(string key, string validKey)
    {
        Read(new() { [key] = "true" }, out var errors);

        var error = Assert.Single(errors);
        var path = key.EndsWith(":0", StringComparison.Ordinal) ? key[..^2] : key;
        Assert.StartsWith($"{path}: unknown setting", error, StringComparison.Ordinal);
        Assert.Contains(validKey, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SeveralUnknownKeys_ReportsEveryOne()
    {
        Read(
            new()
            {
                ["Gateway:RejectClientFcHeader"] = "true",
                ["Gateway:Functions:echo:InstanceConcurency"] = "4",
                ["Gateway:Functions:echo:Timeout"] = "30",
                ["Gateway:Triggers:echo:AuthTyp"] = "anonymous",
            },
            out var errors);

        Assert.Equal(4, errors.Count);
    }

    [Fact]
    public void Read_KeysInAnotherCase_Accepted()
    {
        Read(new() { ["Gateway:limits:maxrequestbodybytes"] = "10", ["Gateway:functions:echo:instanceconcurrency"] = "2" }, out var errors);

        Assert.Empty(errors);
    }

    private static void Read(Dictionary<string, string?> values, out IReadOnlyList<string> errors)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        GatewaySettingsReader.Read(configuration.GetSection(GatewaySettingsReader.SectionName), out errors);
    }
}
