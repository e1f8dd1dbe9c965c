using System.Runtime.Versioning;
using FcGateway.Configuration;

namespace Gateway.Tests.Configuration;

/// <summary>
/// A <c>Command</c> found on <c>PATH</c> (a folder of the test's own, given to the lookup as its PATH: the process's
/// stays as it is, for the tests running beside this one).
/// </summary>
public sealed class ExecutableLookupTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("gateway-path-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    [SupportedOSPlatform("linux")]
    public void Find_BareNameOnPath_WithNeitherShebangNorElfHeader_RefusedNamingTheCommandAndTheFileFound()
    {
        var file = Executable("hello", "echo hello\n");

        var path = ExecutableLookup.Find("hello", "/", SearchPath(), out var problem);

        Assert.Null(path);
        Assert.Equal(
            $"'hello' ('{file}') starts with neither '#!' nor an ELF header, so the system cannot run it (a shell runs such a file as a shell script; "
            + "the gateway uses no shell): put a '#!' line at its top (#!/bin/sh for a shell script), or set Command to its interpreter and put the file in Arguments.",
            problem);
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public void Find_BareNameOnPath_Script_FoundInThatFolder()
    {
        var file = Executable("hello", "#!/bin/sh\necho hello\n");

        var path = ExecutableLookup.Find("hello", "/", SearchPath(), out var problem);

        Assert.Null(problem);
        Assert.Equal(file, path);
    }

    /// <summary>A PATH whose first absolute folder is the test's, after a relative one that does not count.</summary>
    private string SearchPath() => string.Join(Path.PathSeparator, "relative", _folder.FullName, "/usr/bin", "/bin");

    [SupportedOSPlatform("linux")]
    private string Executable(string name, string content)
    {
        var file = Path.Join(_folder.FullName, name);
        File.WriteAllText(file, content);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return file;
    }
}
