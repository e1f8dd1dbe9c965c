using FcGateway.Dispatch.Pull;

namespace FcGateway.Configuration;

/// <summary>
/// Reads the launch keys of <c>Gateway:Functions:{name}</c> that are more than a number: the command and the working
/// directory (resolved and checked now, so a missing program stops start-up rather than the first scale-up), the
/// argument list and the environment. Every problem is added to the list, starting with the key it is about.
/// </summary>
internal static class FunctionLaunchValues
{
    /// <summary>The absolute path of the program <c>Command</c> names.</summary>
    public static string ReadCommand(IConfigurationSection section, string command, string baseDirectory, SettingsErrors errors)
    {
        var path = ExecutableLookup.Find(command.Trim(), baseDirectory, out var problem);
        if (problem is not null)
        {
            errors.Add($"{section.Path}:{nameof(FunctionLaunchSettings.Command)}: {problem}");
        }

        return path ?? command;
    }

    /// <summary>The absolute path of <c>WorkingDirectory</c>, which must exist; <paramref name="baseDirectory"/> when unset.</summary>
    public static string ReadWorkingDirectory(IConfigurationSection section, string baseDirectory, SettingsErrors errors)
    {
        var text = section[nameof(FunctionLaunchSettings.WorkingDirectory)];
        if (string.IsNullOrWhiteSpace(text))
        {
            return baseDirectory;
        }

        var path = Path.GetFullPath(text.Trim(), baseDirectory);
        if (!Directory.Exists(path))
        {
            errors.Add($"{section.Path}:{nameof(FunctionLaunchSettings.WorkingDirectory)}: '{text}' is not a directory ('{path}'; a relative path starts at the gateway's current directory).");
        }

        return path;
    }

    /// <summary>The strings of the <c>Arguments</c> list, in order (its shape is checked with the function's keys).</summary>
    public static List<string> ReadArguments(IConfigurationSection section, SettingsErrors errors) =>
        [.. section.GetSection(nameof(FunctionLaunchSettings.Arguments)).GetChildren().Select(child => ReadString(child, errors))];

    /// <summary>
    /// The variables of the <c>Environment</c> object (its shape is checked with the function's keys). The gateway's own
    /// <c>FCGATEWAY_LAUNCHED</c> is refused, in any case (the C# SDK reads its configuration without regard to case): set
    /// to anything but 1, it would keep an instance the gateway launched polling for ever once the gateway is gone.
    /// </summary>
    public static Dictionary<string, string> ReadEnvironment(IConfigurationSection section, SettingsErrors errors)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var child in section.GetSection(nameof(FunctionLaunchSettings.Environment)).GetChildren())
        {
            if (child.Key.Contains('=', StringComparison.Ordinal))
            {
                errors.Add($"{child.Path}: an environment variable's name cannot contain '='.");
            }

            if (child.Key.Equals(InstanceEnvironment.LaunchedVariable, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{child.Path}: the gateway sets {InstanceEnvironment.LaunchedVariable}=1 in every instance it launches; a function cannot set it.");
            }

            variables[child.Key] = ReadString(child, errors);
        }

        return variables;
    }

    private static string ReadString(IConfigurationSection entry, SettingsErrors errors)
    {
        // A process receives its arguments and environment as C strings: a NUL would silently cut the value short.
        if (entry.Value?.Contains('\0', StringComparison.Ordinal) == true)
        {
            errors.Add($"{entry.Path}: cannot contain a NUL character.");
        }

        return entry.Value ?? "";
    }
}
