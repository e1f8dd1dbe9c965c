using System.Runtime.InteropServices;
using System.Text;

namespace FcGateway.Launch;

/// <summary>
/// Whether <c>execve</c> would run a file, as far as can be told beforehand: one this process may execute that is a
/// program for the gateway's own machine (ELF of the same class and architecture as its executable) or a script whose
/// <c>#!</c> interpreter runs in turn. Anything else (binfmt_misc formats, other architectures, files it may not read)
/// is not known to run.
/// </summary>
internal static partial class ExecutableFile
{
    private const int ExecuteAccess = 1;

    // Linux reads at most this much of a #! line, and follows at most this many interpreters.
    private const int ShebangLineLimit = 256;
    private const int InterpreterDepthLimit = 4;

    // e_ident[EI_CLASS] at 4, e_machine at 18..19: the class and architecture an ELF file was built for.
    private const int ElfHeaderLength = 20;
    private static readonly byte[] ElfMagic = [0x7F, (byte)'E', (byte)'L', (byte)'F'];
    private static readonly Lazy<byte[]?> OwnMachine = new(() => MachineOf(Environment.ProcessPath ?? "/proc/self/exe"));

    /// <summary>True when <paramref name="path"/> is known to run when exec'd.</summary>
    public static bool Runs(string path) => Runs(path, 0);

    /// <summary>
    /// True when <paramref name="path"/> is a file this process can read that starts with neither <c>#!</c> nor an ELF
    /// header (an empty one too): <c>execve</c> refuses it ("Exec format error"), unless binfmt_misc was taught its format.
    /// A shell runs such a file as a shell script; the gateway runs no shell.
    /// </summary>
    public static bool IsNeitherScriptNorProgram(string path) =>
        Head(path, ElfMagic.Length) is { } head && !IsScript(head) && !IsElf(head);

    /// <summary>True when <paramref name="directory"/> is a directory this process may enter (a process's working directory).</summary>
    public static bool CanEnter(string directory) => Directory.Exists(directory) && Access(directory, ExecuteAccess) == 0;

    private static bool Runs(string path, int depth)
    {
        if (depth > InterpreterDepthLimit || Directory.Exists(path) || Access(path, ExecuteAccess) != 0)
        {
            return false;
        }

        var head = Head(path, ShebangLineLimit);
        if (head is not null && IsScript(head))
        {
            var line = Encoding.UTF8.GetString(head, 2, head.Length - 2).Split('\n')[0];
            var interpreter = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return interpreter is not null && Path.IsPathRooted(interpreter) && Runs(interpreter, depth + 1);
        }

        return head is not null && MachineOf(head) is { } machine && OwnMachine.Value is { } own && machine.AsSpan().SequenceEqual(own);
    }

    private static bool IsScript(ReadOnlySpan<byte> head) => head.StartsWith("#!"u8);

    private static bool IsElf(ReadOnlySpan<byte> head) => head.StartsWith(ElfMagic);

    private static byte[]? MachineOf(string path) => Head(path, ElfHeaderLength) is { } head ? MachineOf(head) : null;

    private static byte[]? MachineOf(byte[] head) =>
        head.Length >= ElfHeaderLength && IsElf(head) ? [head[4], head[18], head[19]] : null;

    /// <summary>Up to <paramref name="length"/> bytes from the start of <paramref name="path"/>; null when it cannot be read.</summary>
    private static byte[]? Head(string path, int length)
    {
        try
        {
            using var file = File.OpenRead(path);
            var buffer = new byte[length];
            var read = file.ReadAtLeast(buffer, length, throwOnEndOfStream: false);
            return buffer[..read];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "access", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Access(string path, int mode);
}
