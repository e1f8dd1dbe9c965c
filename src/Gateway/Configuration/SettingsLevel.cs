namespace FcGateway.Configuration;

/// <summary>
/// The keys one level of a section read by a library (YARP's <c>ReverseProxy</c>, <c>Kestrel</c>) accepts, what each holds,
/// and the levels below it; checks a section against them at every depth, reporting each unknown key, each key holding
/// another kind of setting and each value the library would not parse, by its key path (<see cref="SettingsErrors"/> words
/// the messages as for <c>Gateway</c>).
/// </summary>
internal sealed class SettingsLevel
{
    private readonly List<(string Key, SettingKind Kind)> _keys = [];
    private readonly Dictionary<string, SettingsValue> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, SettingsLevel> _levels = new(StringComparer.OrdinalIgnoreCase);
    private SettingKeys? _settingKeys;

    /// <summary>A key holding one value, parsed as <paramref name="value"/> (any text when null).</summary>
    public SettingsLevel Value(string key, SettingsValue? value = null) => Add(key, SettingKind.Value, value);

    /// <summary>A key holding a list of values, each parsed as <paramref name="value"/> (any text when null).</summary>
    public SettingsLevel List(string key, SettingsValue? value = null) => Add(key, SettingKind.List, value);

    /// <summary>A key holding an object of names the user chooses, each holding a value (<c>Metadata</c>).</summary>
    public SettingsLevel ValuesByName(string key) => Add(key, SettingKind.ValuesByName);

    /// <summary>A key holding an object with the keys of <paramref name="level"/>.</summary>
    public SettingsLevel Section(string key, SettingsLevel level) => Add(key, SettingKind.Section, level: level);

    /// <summary>A key holding an object of names the user chooses, each an object with the keys of <paramref name="level"/>.</summary>
    public SettingsLevel SectionsByName(string key, SettingsLevel level) => Add(key, SettingKind.SectionsByName, level: level);

    /// <summary>
    /// A key holding a list of objects, each with the keys of <paramref name="level"/>, or, when it is null, with names of
    /// its own holding values (a transform, which YARP's own validation judges).
    /// </summary>
    public SettingsLevel SectionList(string key, SettingsLevel? level = null) => Add(key, SettingKind.SectionList, level: level);

    /// <summary>Reports into <paramref name="errors"/> everything in <paramref name="section"/> that the library would ignore or refuse.</summary>
    /// <param name="section">The section to check.</param>
    /// <param name="errors">Where each problem is added.</param>
    /// <param name="refused">Where the key path of each value the library would refuse is added, when given.</param>
    public void Check(IConfigurationSection section, SettingsErrors errors, ISet<string>? refused = null)
    {
        _settingKeys ??= new SettingKeys([], [.. _keys]);
        errors.CheckKeys(section, _settingKeys);
        foreach (var child in section.GetChildren())
        {
            switch (_settingKeys.KindOf(child.Key))
            {
                case SettingKind.Value:
                    CheckValue(child, child.Key, errors, refused);
                    break;
                case SettingKind.List:
                    child.GetChildren().ToList().ForEach(entry => CheckValue(entry, child.Key, errors, refused));
                    break;
                case SettingKind.Section when string.IsNullOrEmpty(child.Value):
                    _levels[child.Key].Check(child, errors, refused);
                    break;
                case SettingKind.SectionsByName or SettingKind.SectionList when _levels.TryGetValue(child.Key, out var level):
                    foreach (var entry in child.GetChildren().Where(entry => string.IsNullOrEmpty(entry.Value)))
                    {
                        level.Check(entry, errors, refused);
                    }

                    break;
            }
        }
    }

    private SettingsLevel Add(string key, SettingKind kind, SettingsValue? value = null, SettingsLevel? level = null)
    {
        _keys.Add((key, kind));
        if (value is not null)
        {
            _values[key] = value;
        }

        if (level is not null)
        {
            _levels[key] = level;
        }

        return this;
    }

    private void CheckValue(IConfigurationSection entry, string key, SettingsErrors errors, ISet<string>? refused)
    {
        // An object where a value belongs is already reported by CheckKeys; a missing value is the library's default.
        if (entry.Value is not { } text || entry.GetChildren().Any() || !_values.TryGetValue(key, out var value) || value.IsValid(text))
        {
            return;
        }

        errors.Add($"{entry.Path}: '{text}' is not {value.Expected}.");
        refused?.Add(entry.Path);
    }
}
