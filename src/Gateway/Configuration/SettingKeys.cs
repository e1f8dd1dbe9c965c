namespace FcGateway.Configuration;

/// <summary>The keys one level of a settings section accepts, and what each holds.</summary>
/// <param name="values">The keys that hold a single value.</param>
/// <param name="others">The keys that hold something else, and what.</param>
internal sealed class SettingKeys(string[] values, params (string Key, SettingKind Kind)[] others)
{
    private readonly Dictionary<string, SettingKind> _kinds =
        values.Select(key => (key, SettingKind.Value)).Concat(others).ToDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every key, as written in the messages.</summary>
    public IEnumerable<string> Names => _kinds.Keys;

    /// <summary>What <paramref name="key"/> holds, or null when it is not one of these keys.</summary>
    public SettingKind? KindOf(string key) => _kinds.TryGetValue(key, out var kind) ? kind : null;
}
