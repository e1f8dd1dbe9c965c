using System.Runtime.InteropServices;

namespace FcGateway.Launch;

/// <summary>Asks a process to stop: SIGTERM, which .NET has no API to send (<c>Process.Kill</c> sends SIGKILL).</summary>
internal static partial class PosixSignal
{
    // The same numbers on Linux and macOS.
    private const int SigTerm = 15;
    private const int SigKill = 9;

    /// <summary>Sends SIGTERM to <paramref name="processId"/>; false when it is gone already.</summary>
    public static bool Terminate(int processId) => Kill(processId, SigTerm) == 0;

    /// <summary>Sends SIGKILL to <paramref name="processId"/> if it still exists.</summary>
    public static void KillIfStillThere(int processId) => Kill(processId, SigKill);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int processId, int signal);
}
