using System.Diagnostics.CodeAnalysis;

namespace FcGateway.Configuration;

/// <summary>
/// The <c>Kestrel</c> section as Kestrel reads it: a copy of the configuration's, taken when the gateway accepts an
/// edit (<see cref="ApplyAsync"/>), not as soon as the file changes, so that an edit the gateway rejects — for a problem
/// anywhere in it — leaves Kestrel's endpoints as it leaves everything else. Kestrel rebinds the endpoints a copy
/// changes, as it would on the file's own change. An edit that would leave Kestrel no endpoint to listen on is rejected
/// before (<see cref="ClientListenersRemoved"/>).
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "Its semaphore is only waited for asynchronously and released: no wait handle is made, and nothing is left to free.")]
internal sealed class AcceptedKestrelSection
{
    private readonly CopiedSection _copy;

    /// <summary>Held while an edit is copied, and while Kestrel starts.</summary>
    private readonly SemaphoreSlim _copying = new(1, 1);

    public AcceptedKestrelSection(IConfiguration configuration)
    {
        _copy = new CopiedSection(Copy(configuration));
        Section = new ConfigurationRoot([_copy]).GetSection(KestrelKeys.SectionName);
    }

    /// <summary>What Kestrel reads its endpoints and certificates from, and watches for the next accepted edit.</summary>
    public IConfigurationSection Section { get; }

    /// <summary>
    /// Copies the section of the configuration now in force; Kestrel reads it again when it differs from the last copy.
    /// Waits while Kestrel starts (<see cref="WithoutEditsAsync"/>).
    /// </summary>
    public async Task ApplyAsync(IConfiguration configuration)
    {
        await _copying.WaitAsync();
        try
        {
            _copy.Replace(Copy(configuration));
        }
        finally
        {
            _copying.Release();
        }
    }

    /// <summary>Runs <paramref name="start"/>, Kestrel's start, with no edit copied meanwhile: Kestrel starts with the copy in force.</summary>
    public async Task WithoutEditsAsync(Func<Task> start)
    {
        await _copying.WaitAsync();
        try
        {
            await start();
        }
        finally
        {
            _copying.Release();
        }
    }

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

        /// <summary>
        /// Replaces the copy with <paramref name="data"/> unless each key and value is the same, the keys in the same letter
        /// case: Kestrel compares an endpoint's name and its own keys as written, and rebinds one an edit writes otherwise.
        /// </summary>
        public void Replace(Dictionary<string, string?> data)
        {
            var keys = Data.Keys.ToHashSet(StringComparer.Ordinal);
            if (data.Count == Data.Count && data.All(entry => keys.Contains(entry.Key) && Data[entry.Key] == entry.Value))
            {
                return;
            }

            Data = data;
            OnReload();
        }
    }
}
