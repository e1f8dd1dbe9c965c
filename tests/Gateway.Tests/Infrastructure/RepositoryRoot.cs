namespace Gateway.Tests.Infrastructure;

/// <summary>The repository's root folder, found from the test binaries by looking for gateway.sln.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string File(string relativePath) => System.IO.Path.Combine(Path, relativePath);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(directory.FullName, "gateway.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("gateway.sln not found above " + AppContext.BaseDirectory);
    }
}
