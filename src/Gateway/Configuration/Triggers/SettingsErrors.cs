
namespace FcGateway.Configuration.Triggers;

/// <summary>
/// The problems found while reading <c>Gateway:Triggers</c>, and the checks every section shares (unknown keys,
/// booleans), which report into it rather than stop, so one read collects every problem.
/// </summary>
internal sealed class SettingsErrors(List<string> errors)
{
    /// <summary>Records <paramref name="message"/>, which starts with the key path it is about.</summary>
    public void Add(string message) => errors.Add(message);

    /// <summary>
    /// Reports every child of <paramref name="section"/> not named in <paramref name="known"/>, so a typo is never silently
    /// ignored, and every child holding another kind of setting than its key takes (a value where a list is expected), which
    /// the reader would otherwise skip as unset.
    /// </summary>
    public void CheckKeys(IConfigurationSection section, SettingKeys known)
    {
        foreach (var child in section.GetChildren())
        {
            switch (known.KindOf(child.Key))
            {
                case null:
                    errors.Add($"{child.Path}: unknown setting; the keys here are {string.Join(", ", known.Names)}.");
                    break;
                case SettingKind.Value:
                    CheckValue(child);
                    break;
                case SettingKind.List:
                    CheckList(child);
                    break;
                case SettingKind.Section:
                    CheckObject(child);
                    break;
                case SettingKind.ValuesByName:
                    CheckObject(child);
                    child.GetChildren().ToList().ForEach(CheckValue);
                    break;
                case SettingKind.SectionsByName:
                    CheckObject(child);
                    child.GetChildren().ToList().ForEach(CheckObject);
                    break;
            }
        }
    }

    /// <summary>The boolean at <paramref name="key"/>; false when it is missing or, with an error, not a boolean.</summary>
    public bool ReadBool(IConfigurationSection section, string key)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        errors.Add($"{section.Path}:{key}: '{text}' is not a boolean (use true or false).");
        return false;
    }

    private void CheckValue(IConfigurationSection entry)
    {
        if (entry.GetChildren().Any())
        {
            errors.Add($"{entry.Path}: must be a single value, not an object or a list.");
        }
    }

    private void CheckList(IConfigurationSection list)
    {
        var entries = list.GetChildren().ToList();
        if (!string.IsNullOrEmpty(list.Value) || entries.Any(entry => !entry.Key.All(char.IsAsciiDigit)))
        {
            errors.Add($"{list.Path}: must be a list, such as [\"first\", \"second\"] (in environment variables {list.Key}__0, {list.Key}__1), not a single value or an object.");
            return;
        }

        entries.ForEach(CheckValue);
    }

    private void CheckObject(IConfigurationSection section)
    {
        if (!string.IsNullOrEmpty(section.Value))
        {
            errors.Add($"{section.Path}: must be an object ({{ \"Name\": … }} in JSON), not a single value.");
        }
    }
}
