using Book.Engine.Display;

namespace Book.Engine.Execution;

/// <summary>
/// The members every cell can call unqualified, matching the Polyglot C# kernel's <c>display</c>.
/// Kept to that one function so chapters stay portable.
/// </summary>
public sealed class NotebookGlobals
{
    readonly Func<object?, string[], DisplayedValue> show;

    internal NotebookGlobals(Func<object?, string[], DisplayedValue> show) => this.show = show;

    // Lower-case to match Polyglot's Kernel.display, which chapters call as display(value).
#pragma warning disable IDE1006
    public DisplayedValue display(object? value, params string[] mimeTypes) => show(value, mimeTypes);
#pragma warning restore IDE1006
}
