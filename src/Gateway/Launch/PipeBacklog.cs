using System.IO.Pipes;
using Microsoft.Win32.SafeHandles;
using System.Runtime.InteropServices;

namespace FcGateway.Launch;

/// <summary>How many bytes wait unread in the pipe behind a process's output reader (<c>FIONREAD</c>), on Linux.</summary>
internal static partial class PipeBacklog
{
    private const nuint FionRead = 0x541B;

    /// <summary>The bytes in the pipe not yet read; null where that cannot be told (another OS, a reader over no pipe, a closed pipe).</summary>
    public static int? BytesWaiting(TextReader reader)
    {
        if (!OperatingSystem.IsLinux() || reader is not StreamReader { BaseStream: PipeStream pipe })
        {
            return null;
        }

        var added = false;
        SafePipeHandle? handle = null;
        try
        {
            // The getter throws once the stream is closed.
            handle = pipe.SafePipeHandle;
            if (handle.IsInvalid || handle.IsClosed)
            {
                return null;
            }

            handle.DangerousAddRef(ref added);
            return IoctlInt(handle.DangerousGetHandle(), FionRead, out var count) == 0 ? count : null;
        }
        catch (ObjectDisposedException)
        {
            return null;
        }
        finally
        {
            if (added)
            {
                handle!.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int IoctlInt(nint fd, nuint request, out int value);
}
