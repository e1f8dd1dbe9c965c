namespace FcGateway.Configuration;

/// <summary>
/// The sections an accepted edit applies, <c>ReverseProxy</c> and <c>Gateway</c>, key by key: two readings holding the
/// same keys and values apply the same routes, clusters and settings. A file watcher may signal one save twice, and an
/// edit of another section (<c>Logging</c>, <c>Kestrel</c>) signals too; comparing them keeps such a signal from applying
/// and logging again what is in force.
/// </summary>
internal sealed class AppliedSections
{
    private readonly List<(string Key, string? Value)> _values;

    private AppliedSections(List<(string Key, string? Value)> values) => _values = values;

    /// <summary>The sections as <paramref name="configuration"/> holds them now.</summary>
    public static AppliedSections Of(IConfiguration configuration) => new([.. ((string[])[ReverseProxySection.Name, GatewaySettingsReader.SectionName])
        .SelectMany(name => configuration.GetSection(name).AsEnumerable())
        .Select(pair => (pair.Key, pair.Value))
        .OrderBy(pair => pair.Key, StringComparer.Ordinal)]);

    /// <summary>Whether <paramref name="other"/> holds the same keys and values.</summary>
    public bool Matches(AppliedSections other) => _values.SequenceEqual(other._values);
}
