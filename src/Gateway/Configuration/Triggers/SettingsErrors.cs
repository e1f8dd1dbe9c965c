
namespace FcGateway.Configuration.Triggers;

/// <summary>
/// The problems found while reading <c>Gateway:Triggers</c>, and the checks every section shares (unknown keys,
/// booleans), which report into it rather than stop, so one read collects every problem.
/// </summary>
internal sealed class SettingsErrors(List<string> errors)
{
    /// <summary>Records <paramref name="message"/>, which starts with the key path it is about.</summary>
    public void Add(string message) => errors.Add(message);

    /// <summary>Reports every child of <paramref name="section"/> not named in <paramref name="known"/>, so a typo is never silently ignored.</summary>
    public void CheckKeys(IConfigurationSection section, string[] known)
    {
        foreach (var child in section.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{child.Path}: unknown setting; the keys here are {string.Join(", ", known)}.");
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
}
