using System.Runtime.InteropServices;

namespace FcGateway.Launch;

/// <summary>Signals a process by id: SIGTERM, which .NET has no API to send (<c>Process.Kill</c> sends SIGKILL), or SIGKILL.</summary>
internal static partial class PosixSignal
{
    // The same numbers on Linux and macOS.
    private const int SigTerm = 15;
    private const int SigKill = 9;

    /// <summary>Sends SIGTERM to <paramref name="processId"/>; false when it is gone already.</summary>
    public static bool Terminate(int processId) => Send(processId, SigTerm) == 0;

    /// <summary>Sends SIGKILL to <paramref name="processId"/>; false when it is gone already.</summary>
    public static bool Kill(int processId) => Send(processId, SigKill) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Send(int processId, int signal);
}
