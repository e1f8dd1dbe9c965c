using FcGateway.Launch;

namespace FcGateway.Configuration;

/// <summary>
/// Finds a program as a shell would: a name with a <c>/</c> is a path (relative ones start at a base directory), a
/// bare name is looked up in the directories of <c>PATH</c>. Done once when the settings are read, so a launch never
/// depends on the current directory of the moment, nor on .NET's own search (which tries the application's folder
/// and the current directory before <c>PATH</c>). On Linux, a file that starts with neither <c>#!</c> nor an ELF header
/// is refused: a shell runs it as a shell script, but the system does not (<see cref="ExecutableFile.IsNeitherScriptNorProgram"/>).
/// </summary>
internal static class ExecutableLookup
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>The absolute path of <paramref name="command"/>, or null with <paramref name="problem"/> saying why not.</summary>
    public static string? Find(string command, string baseDirectory, out string? problem) =>
        Find(command, baseDirectory, Environment.GetEnvironmentVariable("PATH"), out problem);

    /// <summary>
    /// The same, a bare name looked up in the directories of <paramref name="searchPath"/> (a <c>PATH</c> value; null for
    /// none) rather than the gateway's own <c>PATH</c>.
    /// </summary>
    public static string? Find(string command, string baseDirectory, string? searchPath, out string? problem)
    {
        problem = null;
        if (command.Contains('/', StringComparison.Ordinal) || command.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            var path = Path.GetFullPath(command, baseDirectory);
            problem = Directory.Exists(path) ? $"'{command}' is a directory, not a program."
                : !File.Exists(path) ? $"'{command}' was not found ('{path}' does not exist; a relative path starts at the gateway's current directory)."
                : !IsExecutable(path) ? $"'{command}' is not executable: chmod +x it, or set Command to its interpreter and put the file in Arguments."
                : FormatProblem($"'{command}'", path);
            return problem is null ? path : null;
        }

        // Like Go's exec.LookPath, only absolute PATH entries count: an empty or relative one would make the result
        // depend on the current directory.
        var found = (searchPath ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(Path.IsPathFullyQualified)
            .Select(directory => Path.Join(directory, command))
            .FirstOrDefault(path => File.Exists(path) && IsExecutable(path));
        problem = found is null ? $"'{command}' was not found (not a file, not on PATH): install it, or give its path."
            : FormatProblem($"'{command}' ('{found}')", found);
        return problem is null ? found : null;
    }

    private static bool IsExecutable(string path) => OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & AnyExecute) != 0;

    /// <summary>Why the system would refuse to run <paramref name="path"/>, whatever its mode, as far as its first bytes tell; null when they do not.</summary>
    private static string? FormatProblem(string named, string path) =>
        OperatingSystem.IsLinux() && ExecutableFile.IsNeitherScriptNorProgram(path)
            ? $"{named} starts with neither '#!' nor an ELF header, so the system cannot run it (a shell runs such a file as a shell script; "
                + "the gateway uses no shell): put a '#!' line at its top (#!/bin/sh for a shell script), or set Command to its interpreter and put the file in Arguments."
            : null;
}
