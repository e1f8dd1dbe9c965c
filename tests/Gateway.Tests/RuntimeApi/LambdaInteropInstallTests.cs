namespace Gateway.Tests.RuntimeApi;

/// <summary>tests/LambdaInterop/install.sh, which links a folder's node_modules to the machine's cached install of the official client.</summary>
public sealed class LambdaInteropInstallTests
{
    /// <summary>
    /// A node_modules folder of its own, which an <c>npm install</c> run by hand leaves, is replaced by the link: before,
    /// the link went inside it, and the tests ran whatever that folder held.
    /// </summary>
    [Fact]
    public async Task ANodeModulesFolderOfItsOwn_IsReplacedByTheLinkToTheCachedInstall()
    {
        await OfficialNodeRuntimeClient.EntryPointAsync();
        var folder = Directory.CreateTempSubdirectory("fc-gateway-interop-");
        try
        {
            foreach (var file in new[] { "install.sh", "package.json", "package-lock.json" })
            {
                File.Copy(Path.Combine(OfficialNodeRuntimeClient.TaskRoot, file), Path.Combine(folder.FullName, file));
            }

            var own = Directory.CreateDirectory(Path.Combine(folder.FullName, "node_modules"));
            await File.WriteAllTextAsync(Path.Combine(own.FullName, "left-by-npm"), "");

            var entryPoint = await OfficialNodeRuntimeClient.InstallAsync(folder.FullName);

            Assert.NotNull(new DirectoryInfo(Path.Combine(folder.FullName, "node_modules")).LinkTarget);
            Assert.True(File.Exists(entryPoint), $"{entryPoint} does not exist");
        }
        finally
        {
            // Deleted recursively, the link is removed, not followed into the cache.
            folder.Delete(recursive: true);
        }
    }
}
