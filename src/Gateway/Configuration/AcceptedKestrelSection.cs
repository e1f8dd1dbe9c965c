namespace FcGateway.Configuration;

/// <summary>
/// The <c>Kestrel</c> section as Kestrel reads it: a copy of the configuration's, taken when the gateway accepts an
/// edit (<see cref="Apply"/>), not as soon as the file changes, so that an edit the gateway rejects — for a problem
/// anywhere in it — leaves Kestrel's endpoints as it leaves everything else. Kestrel rebinds the endpoints a copy
/// changes, as it would on the file's own change. An edit that removes every endpoint the gateway started with is not
/// copied: Kestrel would stop them all and bind nothing in their place, since it binds <c>Urls</c> at start-up only, and
/// the gateway would go on running without a listener (<see cref="StartupOnlySettings"/> names it as waiting for a restart).
/// </summary>
internal sealed class AcceptedKestrelSection
{
    private readonly CopiedSection _copy;

    private readonly bool _startedWithEndpoints;

    public AcceptedKestrelSection(IConfiguration configuration)
    {
        _startedWithEndpoints = KestrelKeys.HasEndpoints(configuration);
        _copy = new CopiedSection(Copy(configuration));
        Section = new ConfigurationRoot([_copy]).GetSection(KestrelKeys.SectionName);
    }

    /// <summary>What Kestrel reads its endpoints and certificates from, and watches for the next accepted edit.</summary>
    public IConfigurationSection Section { get; }

    /// <summary>Copies the section of the configuration now in force; Kestrel reads it again when it differs from the last copy.</summary>
    public void Apply(IConfiguration configuration)
    {
        if (!KeepsEndpoints(configuration))
        {
            _copy.Replace(Copy(configuration));
        }
    }

    /// <summary>
    /// Whether the endpoints in force stay so when <paramref name="configuration"/> is accepted, since it removes every
    /// endpoint the gateway started with.
    /// </summary>
    private bool KeepsEndpoints(IConfiguration configuration) => _startedWithEndpoints && !KestrelKeys.HasEndpoints(configuration);

    private static Dictionary<string, string?> Copy(IConfiguration configuration)
    {
        var copy = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in configuration.GetSection(KestrelKeys.SectionName).AsEnumerable())
        {
            if (value is not null)
            {
                copy[key] = value;
            }
        }

        return copy;
    }

    private sealed class CopiedSection : ConfigurationProvider
    {
        public CopiedSection(Dictionary<string, string?> data) => Data = data;

        public void Replace(Dictionary<string, string?> data)
        {
            if (data.Count == Data.Count && data.All(entry => Data.TryGetValue(entry.Key, out var value) && value == entry.Value))
            {
                return;
            }

            Data = data;
            OnReload();
        }
    }
}
