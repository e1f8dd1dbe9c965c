using FcGateway.Configuration;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Configuration;

/// <summary>
/// Every duration setting ends up in a timer, which refuses anything above int.MaxValue milliseconds at each use (every
/// invocation would fail): a longer one is refused at start-up instead, naming the key and the longest accepted.
/// </summary>
public sealed class GatewaySettingsReaderDurationTests
{
    private const string Longest = "24.20:31:23.647";

    public static TheoryData<string> DurationKeys =>
    [
        "Gateway:DrainTimeout",
        "Gateway:Functions:echo:Timeout",
        "Gateway:Functions:echo:InitializationTimeout",
        "Gateway:Functions:echo:QueueTimeout",
        "Gateway:Functions:echo:IdleTimeout",
        "Gateway:Functions:echo:StopTimeout",
    ];

    [Theory]
    [MemberData(nameof(DurationKeys))]
    public void Read_LongerThanATimerAccepts_RefusedNamingKeyAndLongest(string key)
    {
        var errors = Read(key, TimeSpan.MaxValue.ToString("c"));

        var error = Assert.Single(errors);
        Assert.StartsWith($"{key}: '{TimeSpan.MaxValue:c}' is longer than", error, StringComparison.Ordinal);
        Assert.Contains(Longest, error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(DurationKeys))]
    public void Read_OneMillisecondOverTheLongest_Refused(string key)
    {
        Assert.Single(Read(key, "24.20:31:23.648"));
    }

    [Theory]
    [MemberData(nameof(DurationKeys))]
    public void Read_TheLongest_Accepted(string key)
    {
        Assert.Empty(Read(key, Longest));
    }

    private static IReadOnlyList<string> Read(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:Functions:echo:Command"] = "/bin/sh",
            ["Gateway:Functions:echo:RuntimeApi"] = "fc",
            [key] = value,
        }).Build();
        GatewaySettingsReader.Read(configuration.GetSection(GatewaySettingsReader.SectionName), out var errors);
        return errors;
    }
}
