namespace Book.Native;

/// <summary>
/// Where the tools write, relative to the book's root: outputs go under <c>build/</c>, never next to the sources.
/// </summary>
public static class BuildPaths
{
    /// <summary>Executed copies from the book's engine (and what <c>book render</c> and <c>book ledger</c> read).</summary>
    public const string ExecutedNotebooks = "build/notebooks";

    /// <summary>Executed copies from .NET Interactive's kernel.</summary>
    public const string DotNetInteractiveNotebooks = "build/notebooks-dotnet-interactive";

    /// <summary>The rendered static site.</summary>
    public const string Site = "build/site";
}
