namespace Book.Engine.Execution;

/// <summary>How a notebook session runs: where (the notebook's folder), what it is called in messages, and limits.</summary>
public sealed record SessionOptions(string WorkingDirectory, string NotebookName)
{
    /// <summary>A cell running longer than this is cancelled and reported as timed out.</summary>
    public TimeSpan? CellTimeout { get; init; }

    public TimeSpan RestoreTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a cancelled cell is given to notice its token before it is reported as still running.</summary>
    public TimeSpan CancellationGrace { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Make the notebook's folder the process's current directory, as Polyglot and Jupyter do, so relative paths
    /// in cells and <c>#r "../x.dll"</c> mean the same everywhere. Tests that share a process turn this off.
    /// </summary>
    public bool SetCurrentDirectory { get; init; } = true;
}

/// <summary>Completion candidates for the text between CursorStart and CursorEnd.</summary>
public sealed record CompletionList(IReadOnlyList<string> Matches, int CursorStart, int CursorEnd);

public enum CodeCompleteness { Complete, Incomplete, Invalid }
