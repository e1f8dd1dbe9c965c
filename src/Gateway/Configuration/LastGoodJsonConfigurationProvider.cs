using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Primitives;

namespace FcGateway.Configuration;

/// <summary>
/// Reads a JSON configuration file again each time it is saved, replacing its keys in one step, and only with a save
/// that could be read. <see cref="FileConfigurationProvider"/>'s own reload empties the file's keys before it reports a
/// save it cannot read, so a reload of another file in that instant (<c>appsettings.{Environment}.json</c>, saved by the
/// same git checkout) would read the configuration without this file's routes, functions and Kestrel endpoints. Here a
/// failed read changes nothing and raises no change; it goes to <see cref="FileConfigurationSource.OnLoadException"/>.
/// </summary>
internal sealed class LastGoodJsonConfigurationProvider : JsonConfigurationProvider
{
    private readonly IDisposable? _watching;

    public LastGoodJsonConfigurationProvider(LastGoodJsonConfigurationSource source)
        : base(source)
    {
        if (source.FileProvider is { } files && source.Path is { } path)
        {
            _watching = ChangeToken.OnChange(() => files.Watch(path), () =>
            {
                // As FileConfigurationProvider waits: an editor that saves in two steps has finished.
                Thread.Sleep(source.ReloadDelay);
                Reload();
            });
        }
    }

    protected override void Dispose(bool disposing)
    {
        _watching?.Dispose();
        base.Dispose(disposing);
    }

    private void Reload()
    {
        var file = Source.FileProvider?.GetFileInfo(Source.Path ?? "");
        if (file is not { Exists: true })
        {
            // As FileConfigurationProvider does: a file removed while the gateway runs holds no keys.
            Data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            OnReload();
            return;
        }

        try
        {
            // JsonConfigurationProvider sets Data only once the whole file has been read.
            using var stream = file.CreateReadStream();
            Load(stream);
        }
        catch (Exception ex)
        {
            // The message FileConfigurationProvider gives, which ConfigurationFileError.Describe reads the path from.
            var problem = new InvalidDataException($"Failed to load configuration from file '{file.PhysicalPath ?? Source.Path}'.", ex);
            Source.OnLoadException?.Invoke(new FileLoadExceptionContext { Provider = this, Exception = problem });
            return;
        }

        OnReload();
    }
}
