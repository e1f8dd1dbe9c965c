using FcGateway.Configuration;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Triggers;

/// <summary>Reads trigger settings from in-memory configuration for the trigger settings reader tests.</summary>
internal static class TriggerConfiguration
{
    /// <summary>The configuration path of the trigger of route <c>r</c>.</summary>
    public const string Prefix = "Gateway:Triggers:r";

    public static GatewaySettings Read(Dictionary<string, string?> values, out IReadOnlyList<string> errors)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return GatewaySettingsReader.Read(configuration.GetSection("Gateway"), out errors);
    }

    public static void AddAll(Dictionary<string, string?> values, IEnumerable<KeyValuePair<string, string?>> pairs)
    {
        foreach (var (key, value) in pairs)
        {
            values[key] = value;
        }
    }

    /// <summary>
    /// Reads <paramref name="settings"/> (<c>key=value</c> pairs under route <c>r</c>, separated by <c>|</c>; a jwt
    /// trigger gets a valid JWKS unless the JWKS is what is tested) and asserts the one error it reports.
    /// </summary>
    public static void AssertSingleError(string settings, string keyPath, string message)
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
}
