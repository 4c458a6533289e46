namespace Book.Native;

/// <summary>
/// The Jupyter kernels a chapter can run in, named once: the book's own kernel (installed by <c>book kernel install</c>,
/// named in every chapter's metadata) and .NET Interactive's C# kernel (what Polyglot Notebooks and nbconvert use).
/// </summary>
public static class KernelNames
{
    /// <summary>The book's kernel: the kernelspec name every chapter's metadata names.</summary>
    public const string Book = "csharp-book";

    /// <summary>How front ends list the book's kernel.</summary>
    public const string BookDisplayName = "C# (Transformers book)";

    /// <summary>.NET Interactive's C# kernel as Jupyter knows it.</summary>
    public const string DotNetInteractive = ".net-csharp";

    /// <summary>The kernel name inside Polyglot's own metadata (<c>polyglot_notebook.kernelInfo</c>).</summary>
    public const string Polyglot = "csharp";

    /// <summary>Kernelspec names a C# chapter may carry.</summary>
    public static readonly string[] CSharp = { Book, DotNetInteractive };
}
