using System.Text.RegularExpressions;
using FcGateway.Configuration;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Configuration;

/// <summary>
/// The key tables of docs/gateway.md name exactly the keys the reader takes under <c>Gateway</c> and
/// <c>Gateway:Functions:{name}</c>: a key added to the reader without a row, or a row left behind by a key removed,
/// fails here instead of surprising a user.
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

        Assert.Equal(Sorted(expected), Sorted(DocumentedKeys("### Gateway-wide settings")));
    }

    [Fact]
    public void FunctionTables_ListEveryKeyOfAFunction()
    {
        var expected = GatewaySettingsKeys.Function.Names
            .SelectMany(key => key == "Credentials" ? GatewaySettingsKeys.Credentials.Names.Select(name => $"{key}:{name}") : [key]);

        var documented = DocumentedKeys("### Per-function settings").Concat(DocumentedKeys("### Functions the gateway starts"));

        Assert.Equal(Sorted(expected), Sorted(documented));
    }

    /// <summary>
    /// The first-column keys of the <c>| key | default | meaning |</c> table under <paramref name="heading"/>; a key written
    /// <c>`:SecurityToken`</c> continues the section of the key before it in the cell.
    /// </summary>
    private static List<string> DocumentedKeys(string heading)
    {
        var lines = File.ReadAllLines(RepositoryRoot.File("docs/gateway.md"));
        var start = Array.FindIndex(lines, line => line.StartsWith(heading, StringComparison.Ordinal));
        Assert.True(start >= 0, $"docs/gateway.md has no heading '{heading}'.");
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
