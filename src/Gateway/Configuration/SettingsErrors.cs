
using System.Globalization;

namespace FcGateway.Configuration;

/// <summary>
/// The problems found while reading the <c>Gateway</c> section, and the checks and value readers every part of it shares
/// (unknown keys, booleans, numbers, durations, single-line text), which report into it rather than stop, so one read
/// collects every problem. A value that is wrong reads as its default, with an error.
/// </summary>
internal sealed class SettingsErrors(List<string> errors)
{
    private static readonly TimeSpan LongestTimer = TimeSpan.FromMilliseconds(int.MaxValue);

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
                case SettingKind.SectionList:
                    CheckSectionList(child);
                    break;
            }
        }
    }

    /// <summary>The boolean at <paramref name="key"/>; <paramref name="defaultValue"/> when it is missing or not a boolean.</summary>
    public bool ReadBool(IConfigurationSection section, string key, bool defaultValue = false)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultValue;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        errors.Add($"{section.Path}:{key}: '{text}' is not a boolean (use true or false).");
        return defaultValue;
    }

    /// <summary>A whole number from 1 (or <paramref name="minimumText"/>) to <paramref name="maximum"/>.</summary>
    public long ReadPositive(IConfigurationSection section, string key, long defaultValue, long maximum, string minimumText = "1")
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultValue;
        }

        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= maximum)
        {
            return value;
        }

        errors.Add($"{section.Path}:{key}: '{text}' must be a whole number between {minimumText} and {maximum}.");
        return defaultValue;
    }

    /// <summary>A whole number from 0 to <paramref name="maximum"/>.</summary>
    public long ReadNonNegative(IConfigurationSection section, string key, long defaultValue, long maximum)
    {
        var text = section[key];
        if (text == "0")
        {
            return 0;
        }

        return ReadPositive(section, key, defaultValue, maximum, minimumText: "0");
    }

    /// <summary>A positive hh:mm:ss duration no longer than a timer takes.</summary>
    public TimeSpan ReadPositiveTimeSpan(IConfigurationSection section, string key, TimeSpan defaultValue)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultValue;
        }

        // A bare number parses as days ("30" is a month), never what was meant: insist on hh:mm:ss.
        if (!text.Contains(':', StringComparison.Ordinal) || !TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) || value <= TimeSpan.Zero)
        {
            errors.Add($"{section.Path}:{key}: '{text}' must be a positive duration written as hh:mm:ss (for example 00:00:30).");
            return defaultValue;
        }

        // Every duration ends up in a timer (CancelAfter, Task.Delay), which refuses a longer one at each use.
        if (value > LongestTimer)
        {
            errors.Add($"{section.Path}:{key}: '{text}' is longer than the longest duration a timer accepts, {LongestTimer:c}: use a shorter one.");
            return defaultValue;
        }

        return value;
    }

    /// <summary>A non-empty single line; <paramref name="defaultValue"/> when the key is missing.</summary>
    public string ReadNonEmpty(IConfigurationSection section, string key, string defaultValue)
    {
        var text = section[key];
        if (text is null)
        {
            return defaultValue;
        }

        if (string.IsNullOrWhiteSpace(text) || text.AsSpan().ContainsAny('\r', '\n'))
        {
            errors.Add($"{section.Path}:{key}: must be a non-empty single-line value (omit the key to use '{defaultValue}').");
            return defaultValue;
        }

        return text.Trim();
    }

    /// <summary>A single line, empty when missing: it is sent to workers as a header.</summary>
    public string ReadSingleLine(IConfigurationSection section, string key)
    {
        var text = section[key] ?? "";
        if (text.AsSpan().ContainsAny('\r', '\n'))
        {
            errors.Add($"{section.Path}:{key}: must be a single line; it is sent to workers as a header.");
            return "";
        }

        return text.Trim();
    }

    /// <summary>The trimmed text, or null when there is none.</summary>
    public static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
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

    private void CheckSectionList(IConfigurationSection list)
    {
        var entries = list.GetChildren().ToList();
        if (!string.IsNullOrEmpty(list.Value) || entries.Any(entry => !entry.Key.All(char.IsAsciiDigit)))
        {
            errors.Add($"{list.Path}: must be a list of objects, such as [{{ \"Name\": … }}] (in environment variables {list.Key}__0__Name), not a single value or an object.");
            return;
        }

        entries.ForEach(CheckObject);
    }

    private void CheckObject(IConfigurationSection section)
    {
        if (!string.IsNullOrEmpty(section.Value))
        {
            errors.Add($"{section.Path}: must be an object ({{ \"Name\": … }} in JSON), not a single value.");
        }
    }
}
