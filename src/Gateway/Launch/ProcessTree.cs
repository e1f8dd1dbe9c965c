using System.Globalization;

namespace FcGateway.Launch;

/// <summary>
/// The processes below one process, read from <c>/proc</c> (Linux): a function's wrapper script may exit on SIGTERM and
/// leave what it started behind, re-parented and no longer findable as its descendants, so they are listed first.
/// </summary>
internal static class ProcessTree
{
    /// <summary>Every process descending from <paramref name="root"/> now; empty where <c>/proc</c> is not there.</summary>
    public static IReadOnlyList<ProcessIdentity> DescendantsOf(int root)
    {
        if (!Directory.Exists("/proc"))
        {
            return [];
        }

        var children = new Dictionary<int, List<ProcessIdentity>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && StatOf(pid) is { } stat)
            {
                (children.TryGetValue(stat.Parent, out var list) ? list : children[stat.Parent] = []).Add(new(pid, stat.StartTime));
            }
        }

        var found = new List<ProcessIdentity>();
        var pending = new Stack<int>([root]);
        while (pending.TryPop(out var pid))
        {
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                found.Add(child);
                pending.Push(child.Id);
            }
        }

        return found;
    }

    /// <summary>
    /// Every process now whose environment holds one of <paramref name="entries"/> (each <c>NAME=value</c>, matched whole);
    /// empty where <c>/proc</c> is not there. Processes of other users, whose environment cannot be read, are never listed.
    /// </summary>
    public static IReadOnlyList<ProcessIdentity> Carrying(IReadOnlyCollection<string> entries)
    {
        if (entries.Count == 0 || !Directory.Exists("/proc"))
        {
            return [];
        }

        var found = new List<ProcessIdentity>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && pid != Environment.ProcessId && StatOf(pid) is { } stat && EnvironmentOf(pid).Any(entries.Contains))
            {
                found.Add(new(pid, stat.StartTime));
            }
        }

        return found;
    }

    private static string[] EnvironmentOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/environ").Split('\0');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The parent and the start time (clock ticks after boot) of <paramref name="pid"/>; null when it is gone.</summary>
    internal static (int Parent, long StartTime)? StatOf(int pid)
    {
        try
        {
            // "pid (comm) state ppid … starttime …": comm may hold spaces and parentheses, so read after the last ')',
            // where field 3 (state) comes first: ppid is field 4, starttime field 22.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (int.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[19], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}

/// <summary>
/// One process as it was listed: its id, and when it started, since an id is given to another process once its own has
/// exited and been reaped.
/// </summary>
internal readonly record struct ProcessIdentity(int Id, long StartTime)
{
    /// <summary>Sends SIGKILL if the process with this id is still the one listed; true when it was sent.</summary>
    public bool KillIfStillThere() =>
        ProcessTree.StatOf(Id) is { } now && now.StartTime == StartTime && PosixSignal.Kill(Id);
}
