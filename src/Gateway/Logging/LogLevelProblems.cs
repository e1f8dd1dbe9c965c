namespace FcGateway;

/// <summary>
/// The values of the <c>Logging</c> section that ASP.NET Core reads as log levels (<c>Logging:LogLevel:{category}</c> and
/// <c>Logging:{provider}:LogLevel:{category}</c>) and cannot: it throws when it builds the log filters, which would end
/// start-up with a stack trace, or leave an edit's levels unapplied without a word.
/// </summary>
internal static class LogLevelProblems
{
    /// <summary>The name of the section ASP.NET Core reads the log levels from.</summary>
    public const string SectionName = "Logging";

    private const string LevelsKey = "LogLevel";

    /// <summary>Each value of <paramref name="logging"/> (the <c>Logging</c> section) that is no log level, by its key.</summary>
    public static IReadOnlyList<string> Find(IConfigurationSection logging)
    {
        var problems = new List<string>();
        foreach (var child in logging.GetChildren())
        {
            var levels = child.Key.Equals(LevelsKey, StringComparison.OrdinalIgnoreCase) ? child : child.GetSection(LevelsKey);
            problems.AddRange(levels.GetChildren()
                .Where(level => !string.IsNullOrEmpty(level.Value) && !Enum.TryParse<LogLevel>(level.Value, ignoreCase: true, out _))
                .Select(level => $"{level.Path}: '{level.Value}' is not a log level; use Trace, Debug, Information, Warning, Error, Critical or None."));
        }

        return problems;
    }
}
