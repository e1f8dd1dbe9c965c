using System.Text.Json;
using Microsoft.Extensions.Primitives;

namespace FcGateway.Configuration;

/// <summary>
/// Turns a configuration file that is not valid JSON into one line (file, 1-based line and column, what is wrong),
/// and keeps a malformed save while the gateway runs from replacing the last good configuration.
/// </summary>
internal static partial class ConfigurationFileError
{
    /// <summary>One line describing why a configuration file could not be loaded, or null when <paramref name="exception"/> is not about one.</summary>
    public static string? Describe(Exception exception)
    {
        if (exception is not InvalidDataException { InnerException: { } inner } loadError)
        {
            return null;
        }

        var json = inner as JsonException ?? inner.InnerException as JsonException;
        var file = FileOf(loadError.Message);
        if (json is null)
        {
            return $"Configuration file {file} could not be loaded: {inner.Message}";
        }

        return $"Configuration file {file} is not valid JSON at line {json.LineNumber + 1}, column {json.BytePositionInLine + 1}: {WhatIsWrong(json)}";
    }

    /// <summary>
    /// Logs every later failure to reload a file source of <paramref name="configuration"/>. The files read again when saved
    /// are <see cref="LastGoodJsonConfigurationProvider"/>s: a failure leaves the file's keys as they were and raises no
    /// change, so the settings and routes in force stay as they are until the file is fixed, and a save of another file
    /// meanwhile reads this one's last good content beside it.
    /// A file watcher may signal one save twice: a failure that repeats the one last logged, with no reload taken
    /// between them, is logged at Debug.
    /// </summary>
    public static void LogReloadFailures(ConfigurationManager configuration, ILogger logger)
    {
        string? lastLogged = null;
        ChangeToken.OnChange(((IConfigurationRoot)configuration).GetReloadToken, () => Volatile.Write(ref lastLogged, null));
        foreach (var provider in ((IConfigurationRoot)configuration).Providers.OfType<FileConfigurationProvider>())
        {
            provider.Source.OnLoadException = context =>
            {
                var problem = Describe(context.Exception) ?? context.Exception.Message;
                if (Interlocked.Exchange(ref lastLogged, problem) == problem)
                {
                    Log.ReloadFailedAgain(logger, problem);
                }
                else
                {
                    Log.ReloadFailed(logger, problem);
                }
            };
        }
    }

    // The provider's message is "Failed to load configuration from file '<path>'."; the path is what the user edits.
    private static string FileOf(string message)
    {
        var start = message.IndexOf('\'', StringComparison.Ordinal);
        var end = message.LastIndexOf('\'');
        return start >= 0 && end > start ? message[start..(end + 1)] : "(unknown)";
    }

    // System.Text.Json ends its message with " Path: $ | LineNumber: 2 | BytePositionInLine: 4."; the position is given once, 1-based.
    private static string WhatIsWrong(JsonException json)
    {
        var message = json.Message;
        var path = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (path < 0)
        {
            path = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        }

        return path < 0 ? message : message[..path];
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.ConfigurationFileReloadFailed, LogLevel.Error, "{Problem} The last good configuration stays in force until the file is fixed.")]
        public static partial void ReloadFailed(ILogger logger, string problem);

        [LoggerMessage(EventIds.ConfigurationFileReloadFailed, LogLevel.Debug, "{Problem} The file was read again with the problem last logged; the last good configuration stays in force.")]
        public static partial void ReloadFailedAgain(ILogger logger, string problem);
    }
}
