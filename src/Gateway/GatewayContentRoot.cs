namespace FcGateway;

/// <summary>
/// The content root asked for with <c>--contentRoot</c> (or <c>DOTNET_CONTENTROOT</c>, <c>ASPNETCORE_CONTENTROOT</c>), resolved against
/// the current folder as <c>--help</c> says — the host alone would resolve a relative one against the gateway's binaries — and checked
/// to exist, so a wrong folder is one line rather than a <see cref="DirectoryNotFoundException"/> with a stack trace.
/// </summary>
internal static class GatewayContentRoot
{
    /// <summary>The full path of the content root <paramref name="args"/> or the environment ask for, or null when none is asked for.</summary>
    /// <exception cref="GatewayStartupException">The folder does not exist.</exception>
    public static string? Resolve(string[] args)
    {
        // The sources the host reads it from, in the host's order: the last one wins.
        var requested = new ConfigurationBuilder()
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddEnvironmentVariables("DOTNET_")
            .AddCommandLine(args)
            .Build()[HostDefaults.ContentRootKey];
        if (string.IsNullOrEmpty(requested))
        {
            return null;
        }

        var path = Path.GetFullPath(requested);
        if (!Directory.Exists(path))
        {
            throw new GatewayStartupException(
                $"The content root '{requested}' is not a folder ('{path}'): pass --contentRoot the folder holding appsettings.json (a relative path starts at the current folder).");
        }

        return path;
    }
}
