using System.Runtime.Versioning;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A program the gateway's look before a start takes to run (an executable ELF file for this machine) that the kernel
/// cannot run: <c>/bin/true</c> with its dynamic loader's name changed to one that does not exist (execve: ENOENT).
/// </summary>
[SupportedOSPlatform("linux")]
public static class MissingLoaderProgram
{
    /// <summary>Writes such a program into <paramref name="directory"/> and returns its path.</summary>
    public static string Create(string directory)
    {
        var program = File.ReadAllBytes("/bin/true");
        var loader = program.AsSpan().IndexOf("ld-linux"u8);
        Assert.True(loader > 0, "/bin/true names no ld-linux loader.");
        "ld-xinux"u8.CopyTo(program.AsSpan(loader));

        var path = Path.Join(directory, "missing-loader");
        File.WriteAllBytes(path, program);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
