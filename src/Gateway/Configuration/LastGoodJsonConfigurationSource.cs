using Microsoft.Extensions.Configuration.Json;

namespace FcGateway.Configuration;

/// <summary>
/// A JSON configuration file read again when it is saved (<c>appsettings.json</c>, <c>appsettings.{Environment}.json</c>),
/// whose keys a save that cannot be read leaves as they were: <see cref="LastGoodJsonConfigurationProvider"/>.
/// <see cref="FileConfigurationSource.ReloadOnChange"/> stays false: the provider watches the file itself.
/// </summary>
internal sealed class LastGoodJsonConfigurationSource : JsonConfigurationSource
{
    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new LastGoodJsonConfigurationProvider(this);
    }

    /// <summary>Puts one of these in place of each JSON file of <paramref name="configuration"/> that is read again when saved.</summary>
    public static void ReplaceReloadingFiles(IConfigurationBuilder configuration)
    {
        var sources = configuration.Sources;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is JsonConfigurationSource { ReloadOnChange: true, Path: { } path } file)
            {
                sources[i] = new LastGoodJsonConfigurationSource
                {
                    FileProvider = file.FileProvider,
                    Path = path,
                    Optional = file.Optional,
                    ReloadDelay = file.ReloadDelay,
                    OnLoadException = file.OnLoadException,
                };
            }
        }
    }
}
