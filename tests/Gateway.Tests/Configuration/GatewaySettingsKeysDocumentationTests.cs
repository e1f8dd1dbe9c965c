using System.Text.RegularExpressions;
using FcGateway.Configuration;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Configuration;

/// <summary>
/// The key tables of docs/gateway.md and docs/triggers.md name exactly the keys the reader takes under <c>Gateway</c>,
/// <c>Gateway:Functions:{name}</c> and <c>Gateway:Triggers:{routeId}</c>: a key added to the reader without a row, or a
/// row left behind by a key removed, fails here instead of surprising a user.
/// </summary>
public sealed partial class GatewaySettingsKeysDocumentationTests
{
    /// <summary>The sections of <c>Gateway</c> whose keys the gateway-wide table lists one by one (<c>Limits:MaxRequestBodyBytes</c>).</summary>
    private static readonly Dictionary<string, SettingKeys> GatewaySubsections = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Limits"] = GatewaySettingsKeys.Limits,
        ["ForwardedHeaders"] = GatewaySettingsKeys.ForwardedHeaders,
        ["InvokeApi"] = GatewaySettingsKeys.InvokeApi,
        ["Health"] = GatewaySettingsKeys.Health,
        ["RuntimeApi"] = GatewaySettingsKeys.RuntimeApi,
    };

    [Fact]
    public void GatewayWideTable_ListsEveryKeyOfTheGatewaySection()
    {
        var expected = new List<string>();
        foreach (var key in GatewaySettingsKeys.Gateway.Names)
        {
            if (GatewaySubsections.TryGetValue(key, out var subsection))
            {
                expected.AddRange(subsection.Names.Select(name => $"{key}:{name}"));
            }
            else if (key == "Triggers")
            {
                expected.Add("Triggers:{routeId}");
            }
            else if (key != "Functions")
            {
                Assert.NotEqual(SettingKind.Section, GatewaySettingsKeys.Gateway.KindOf(key));
                expected.Add(key);
            }
        }

        Assert.Equal(Sorted(expected), Sorted(DocumentedKeys("docs/gateway.md", "### Gateway-wide settings")));
    }

    [Fact]
    public void FunctionTables_ListEveryKeyOfAFunction()
    {
        var expected = GatewaySettingsKeys.Function.Names
            .SelectMany(key => key == "Credentials" ? GatewaySettingsKeys.Credentials.Names.Select(name => $"{key}:{name}") : [key]);

        var documented = DocumentedKeys("docs/gateway.md", "### Per-function settings")
            .Concat(DocumentedKeys("docs/gateway.md", "### Functions the gateway starts"));

        Assert.Equal(Sorted(expected), Sorted(documented));
    }

    [Fact]
    public void TriggerTable_ListsEveryKeyOfATrigger()
    {
        // The trigger readers keep their keys to themselves; an unknown key's problem lists them.
        var expected = KeysAt("Gateway:Triggers:echo")
            .SelectMany(key => key is "Jwt" or "Cors" ? KeysAt($"Gateway:Triggers:echo:{key}").Select(name => $"{key}:{name}") : [key]);

        Assert.Equal(Sorted(expected), Sorted(DocumentedKeys("docs/triggers.md", "## Keys")));
    }

    private static string[] KeysAt(string path)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [$"{path}:NoSuchKey"] = "x", ["Gateway:Triggers:echo:AuthType"] = "jwt" })
            .Build();
        GatewaySettingsReader.Read(configuration.GetSection(GatewaySettingsReader.SectionName), out var errors);
        var prefix = $"{path}:NoSuchKey: unknown setting; the keys here are ";
        var problem = Assert.Single(errors, error => error.StartsWith(prefix, StringComparison.Ordinal));
        return problem[prefix.Length..].TrimEnd('.').Split(", ");
    }

    /// <summary>
    /// The first-column keys of the <c>| key | default | meaning |</c> table under <paramref name="heading"/> of
    /// <paramref name="document"/>; a key written <c>`:SecurityToken`</c> continues the section of the key before it in the cell.
    /// </summary>
    private static List<string> DocumentedKeys(string document, string heading)
    {
        var lines = File.ReadAllLines(RepositoryRoot.File(document));
        var start = Array.FindIndex(lines, line => line.StartsWith(heading, StringComparison.Ordinal));
        Assert.True(start >= 0, $"{document} has no heading '{heading}'.");
        var table = lines.Skip(start + 1).SkipWhile(line => line != "| key | default | meaning |").Skip(2).TakeWhile(line => line.StartsWith('|'));

        var keys = new List<string>();
        foreach (var line in table)
        {
            var section = "";
            foreach (Match match in KeyInCell().Matches(line.Split('|')[1]))
            {
                var key = match.Groups[1].Value;
                keys.Add(key.StartsWith(':') ? section + key : key);
                section = key.Contains(':', StringComparison.Ordinal) && !key.StartsWith(':') ? key[..key.IndexOf(':')] : section;
            }
        }

        Assert.NotEmpty(keys);
        return keys;
    }

    private static List<string> Sorted(IEnumerable<string> keys) => [.. keys.Order(StringComparer.Ordinal)];

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex KeyInCell();
}
