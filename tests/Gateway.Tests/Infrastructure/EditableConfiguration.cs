using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Configuration a test edits while the gateway runs, removing keys as an edit of <c>appsettings.json</c> does (the
/// in-memory source can only set a key, to null at most, and a key set to null still exists).
/// </summary>
internal sealed class EditableConfiguration : ConfigurationProvider, IConfigurationSource
{
    public EditableConfiguration(IDictionary<string, string?> values) =>
        Data = new Dictionary<string, string?>(values, StringComparer.OrdinalIgnoreCase);

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    /// <summary>Keeps what the constructor was given and the edits since: a reload of the root reads nothing new.</summary>
    public override void Load()
    {
    }

    /// <summary>Removes each of <paramref name="keys"/> with everything under it, then signals the change.</summary>
    public void Remove(params string[] keys)
    {
        RemoveKeys(keys);
        OnReload();
    }

    /// <summary>Removes each of <paramref name="keys"/> with everything under it and sets each of <paramref name="settings"/>, then signals the change once: one edit.</summary>
    public void Replace(string[] keys, params (string Key, string Value)[] settings)
    {
        RemoveKeys(keys);
        Put(settings);
    }

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>, then signals the change.</summary>
    public void Put(string key, string value) => Put((key, value));

    /// <summary>Sets each of <paramref name="settings"/>, then signals the change once: one edit.</summary>
    public void Put(params (string Key, string Value)[] settings)
    {
        foreach (var (key, value) in settings)
        {
            Data[key] = value;
        }

        OnReload();
    }

    private void RemoveKeys(string[] keys)
    {
        foreach (var key in Data.Keys.Where(existing => keys.Any(key =>
            existing.Equals(key, StringComparison.OrdinalIgnoreCase) || existing.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase))).ToList())
        {
            Data.Remove(key);
        }
    }
}
