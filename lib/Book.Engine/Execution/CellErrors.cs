using System.Diagnostics;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;

namespace Book.Engine.Execution;

/// <summary>Turns compiler diagnostics and exceptions into failures that name notebook, cell and line.</summary>
static class CellErrors
{
    public static CellFailure Compilation(CompilationErrorException e, CellLocation location)
    {
        var errors = e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count == 0) errors = e.Diagnostics.ToList();
        var lines = errors.Select(d =>
        {
            var span = d.Location.GetLineSpan();
            int line = span.StartLinePosition.Line + 1;
            return (Line: line, Text: $"{location.Describe(line)}: error {d.Id}: {d.GetMessage()}");
        }).ToList();
        int? first = lines.Count > 0 ? lines[0].Line : null;
        return new CellFailure("CompilationError", string.Join("\n", lines.Select(l => l.Text)), first, lines.Select(l => l.Text).ToList());
    }

    public static CellFailure Runtime(Exception exception, CellLocation location, string scriptPath)
    {
        var e = Unwrap(exception);
        int? line = new StackTrace(e, fNeedFileInfo: true).GetFrames()
            .Where(f => f.GetFileName() == scriptPath && f.GetFileLineNumber() > 0)
            .Select(f => (int?)f.GetFileLineNumber())
            .FirstOrDefault();
        string message = $"{location.Describe(line)}: {e.GetType().FullName}: {e.Message}";
        var traceback = new List<string> { message };
        traceback.AddRange(UserFrames(e));
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
            traceback.Add($" ---> {inner.GetType().FullName}: {inner.Message}");
        return new CellFailure("RuntimeError", message, line, traceback);
    }

    /// <summary>Stack lines without the scripting machinery between the cell and the engine.</summary>
    static IEnumerable<string> UserFrames(Exception e) =>
        (e.StackTrace ?? "").Split('\n')
            .Select(l => l.TrimEnd('\r'))
            .Where(l => l.Length > 0
                        && !l.Contains("Microsoft.CodeAnalysis.Scripting", StringComparison.Ordinal)
                        && !l.Contains("System.Runtime.CompilerServices", StringComparison.Ordinal)
                        && !l.Contains("System.Threading.Tasks", StringComparison.Ordinal)
                        && !l.Contains("--- End of stack trace", StringComparison.Ordinal));

    static Exception Unwrap(Exception e) => e switch
    {
        TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        AggregateException { InnerExceptions.Count: 1 } a => Unwrap(a.InnerExceptions[0]),
        _ => e,
    };

    public static CellFailure Directive(Exception e, int? line) =>
        new("DirectiveError", e.Message, line, new[] { e.Message });
}
