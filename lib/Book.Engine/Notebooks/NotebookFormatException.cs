namespace Book.Engine.Notebooks;

/// <summary>
/// A .ipynb file is not a readable nbformat 4 notebook. One error for the engine, the kernel, the site and the checks;
/// the message names the file and the field, <see cref="Problem"/> says what is wrong without the path.
/// </summary>
public sealed class NotebookFormatException(string path, string problem) : Exception($"{path} {problem}")
{
    public string NotebookPath { get; } = path;

    public string Problem { get; } = problem;
}
