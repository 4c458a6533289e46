namespace Book.Kernel.Tests.Integration;

/// <summary>Paths in the repository, found from the test assembly by walking up to Directory.Packages.props.</summary>
static class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    /// <summary>The CLI the test project builds (ProjectReference to Book.Cli) into artifacts/book.</summary>
    public static string BookDll => Path.Combine(Root, "artifacts", "book", "book.dll");

    public static string TestFiles => Path.Combine(Root, "tests", "Book.Kernel.Tests");

    static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Directory.Packages.props")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"No Directory.Packages.props above {AppContext.BaseDirectory}: is this test running from the repository?");
    }
}
