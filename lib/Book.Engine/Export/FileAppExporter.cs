using System.Text;
using Book.Engine.Directives;
using Book.Engine.Execution;
using Book.Engine.Notebooks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Book.Engine.Export;

/// <summary>A notebook written as a file-based app, and what the export had to say about it.</summary>
public sealed record FileApp(string Source, IReadOnlyList<PackageReference> Packages, IReadOnlyList<string> Projects);

/// <summary>A notebook that cannot become a file-based app, with the cell and the reason.</summary>
public sealed class FileAppExportException(string message) : Exception(message);

/// <summary>
/// Writes a chapter as a .NET 10 file-based app (<c>dotnet run chapter.cs</c>), Microsoft's suggested path after
/// .NET Interactive's deprecation. A notebook's cells are script code; a program's top-level statements differ in
/// four ways, each handled here: <c>#r</c> lines become <c>#:package</c> and <c>#:project</c> directives; using
/// directives move to the top; classes, records and other types move after the statements (C# requires it); and a
/// cell's trailing expression, which a notebook displays, becomes a <c>display(...)</c> call that prints it. Markdown
/// cells become comments, so the app reads as the chapter does. A name declared by two cells (legal in a notebook,
/// where a later cell shadows an earlier one) would be a duplicate local, so the export refuses it by name.
/// </summary>
public static class FileAppExporter
{
    static readonly CSharpParseOptions ScriptParse = CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Latest);

    /// <param name="notebookPath">The notebook.</param>
    /// <param name="appPath">Where the app will be written: #:project paths are relative to it.</param>
    /// <param name="repositoryRoot">The book's root: #r "artifacts/lib/Name.dll" becomes #:project lib/Name/Name.csproj.</param>
    public static FileApp Export(string notebookPath, string appPath, string repositoryRoot)
    {
        var notebook = NotebookDocument.Load(notebookPath);
        string notebookFolder = Path.GetDirectoryName(Path.GetFullPath(notebookPath))!;
        string appFolder = Path.GetDirectoryName(Path.GetFullPath(appPath))!;
        var packages = new List<PackageReference>();
        var projects = new List<string>();
        var usings = new List<string>(NotebookSession.DefaultImports.Select(n => $"using {n};"));

        // First pass: parse every code cell, and learn the names the program's top-level scope will hold.
        var cells = new Dictionary<int, CompilationUnitSyntax>();
        var declaredIn = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int index = 0; index < notebook.CellCount; index++)
        {
            if (notebook.CellType(index) != "code") continue;
            CellDirectives cell;
            try { cell = CellDirectives.Parse(notebook.CellSource(index), new CellLocation(notebookPath, index + 1)); }
            catch (DirectiveException e) { throw new FileAppExportException(e.Message); }
            packages.AddRange(cell.Packages.Where(p => !packages.Contains(p)));
            foreach (var assembly in cell.AssemblyPaths)
            {
                string project = ProjectFor(Path.GetFullPath(assembly, notebookFolder), repositoryRoot)
                    ?? throw new FileAppExportException($"{notebookPath}, cell {index + 1}: #r \"{assembly}\" names an assembly that no project of the book builds; a file-based app references packages and projects only.");
                string relative = Path.GetRelativePath(appFolder, project).Replace('\\', '/');
                if (!projects.Contains(relative)) projects.Add(relative);
            }
            var root = CSharpSyntaxTree.ParseText(cell.Code, ScriptParse).GetCompilationUnitRoot();
            if (root.GetDiagnostics().FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) is { } error)
                throw new FileAppExportException($"{notebookPath}, cell {index + 1}: {error.GetMessage()}");
            cells[index] = root;
            foreach (var name in root.Members.SelectMany(TopLevelNames))
            {
                if (declaredIn.TryGetValue(name, out int earlier))
                    throw new FileAppExportException(
                        $"{notebookPath}, cell {index + 1}: '{name}' is declared again (first in cell {earlier}); in a file-based app the cells share one scope, so give it another name.");
                declaredIn[name] = index + 1;
            }
        }
        var topLevel = declaredIn.Keys.ToHashSet(StringComparer.Ordinal);
        var taken = cells.Values.SelectMany(c => c.DescendantTokens()).Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.Text).ToHashSet(StringComparer.Ordinal);

        // Second pass: statements in order, shared functions and constants into one class, types after the statements.
        var body = new StringBuilder();
        var shared = new StringBuilder();
        var types = new StringBuilder();
        for (int index = 0; index < notebook.CellCount; index++)
        {
            if (!cells.TryGetValue(index, out var root))
            {
                body.Append(Commented(notebook.CellSource(index))).Append("\n\n");
                continue;
            }
            foreach (var u in root.Usings)
            {
                string text = u.ToString().Trim();
                if (!usings.Contains(text)) usings.Add(text);
            }
            body.Append($"// ── cell {index + 1} ──\n");
            var members = root.Members;
            for (int m = 0; m < members.Count; m++)
            {
                var member = members[m];
                if (member is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax)
                {
                    types.Append($"// from cell {index + 1}\n").Append(member.ToFullString().Trim()).Append("\n\n");
                    continue;
                }
                if (IsShared(member))
                {
                    // A static function or a constant of a notebook is a member of the script, which the cells' classes
                    // may call too; in a program only a class member can be reached from both.
                    shared.Append($"    // from cell {index + 1}\n    ").Append(Internal(member).ToFullString().Trim().Replace("\n", "\n    ")).Append("\n\n");
                    body.Append($"// ({Describe(member)}: in {SharedClass} below)\n");
                    continue;
                }
                if (member is GlobalStatementSyntax global)
                    member = global.WithStatement(NestedNameRenamer.Rename(global.Statement, topLevel, taken));
                var unterminated = member is GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } statement }
                    ? statement : null;
                bool displayed = m == members.Count - 1 && unterminated is not null && !WritesToConsole(unterminated.Expression);
                string text = member.ToFullString().Trim();
                body.Append(displayed ? $"display({text});" : unterminated is not null ? text + ";" : text).Append('\n');
            }
            body.Append('\n');
        }

        var app = new StringBuilder();
        app.Append($"// {Path.GetFileName(notebookPath)}, exported by `book export` as a .NET file-based app. Run it with: dotnet run {Path.GetFileName(appPath)}\n");
        foreach (var p in packages) app.Append($"#:package {p.Id}@{p.Version}\n");
        foreach (var p in projects) app.Append($"#:project {p}\n");
        // As in the notebook: no nullable analysis, warnings stay warnings, a plain JIT-compiled program.
        app.Append("#:property Nullable=disable\n#:property TreatWarningsAsErrors=false\n#:property PublishAot=false\n");
        // The versions above are the chapter's pins; a book's central package management would refuse them.
        app.Append("#:property ManagePackageVersionsCentrally=false\n\n");
        foreach (var u in usings) app.Append(u).Append('\n');
        bool usesLibrary = projects.Any(p => p.EndsWith("/TransformersBook.csproj", StringComparison.Ordinal));
        app.Append(usesLibrary ? "using static TransformersBook.Display.ProgramDisplay;\n" : "using static PlainDisplay;\n");
        if (shared.Length > 0) app.Append($"using static {SharedClass};\n");
        app.Append('\n').Append(body.ToString().TrimEnd()).Append("\n\n");
        if (shared.Length > 0)
            app.Append($"// The chapter's static functions and constants, reachable from its statements and its classes.\nstatic class {SharedClass}\n{{\n")
               .Append(shared.ToString().TrimEnd()).Append("\n}\n\n");
        if (types.Length > 0) app.Append("// Types declared by the chapter's cells.\n\n").Append(types.ToString().TrimEnd()).Append('\n');
        if (!usesLibrary) app.Append(PlainDisplay);
        return new FileApp(app.ToString(), packages, projects);
    }

    const string SharedClass = "ChapterFunctions";

    /// <summary>
    /// A trailing <c>Console.WriteLine(...)</c> without its semicolon is legal in a cell (a void expression displays
    /// nothing) but cannot be an argument of display(...): it stays a statement. Other void calls are not known without
    /// a semantic model; this is the one the chapters use.
    /// </summary>
    static bool WritesToConsole(ExpressionSyntax expression) =>
        expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access }
        && access.Name.Identifier.Text is "WriteLine" or "Write"
        && access.Expression.ToString() is "Console" or "System.Console" or "Console.Out" or "Console.Error";

    /// <summary>display(...) for a notebook that does not load the book's library (which has a richer one).</summary>
    const string PlainDisplay = """

        // What a notebook's display(...) does here: print the value; an update prints the new one.
        static class PlainDisplay
        {
            internal static PlainDisplayHandle display(object value, params string[] mimeTypes) { Console.WriteLine(value); return new PlainDisplayHandle(); }
        }

        sealed class PlainDisplayHandle
        {
            public void Update(object value) => Console.WriteLine(value);
        }

        """;

    static bool IsShared(MemberDeclarationSyntax member) => member switch
    {
        MethodDeclarationSyntax method => method.Modifiers.Any(SyntaxKind.StaticKeyword),
        FieldDeclarationSyntax field => field.Modifiers.Any(SyntaxKind.ConstKeyword),
        _ => false,
    };

    /// <summary>Script members have no accessibility; as members of the shared class they must be reachable.</summary>
    static MemberDeclarationSyntax Internal(MemberDeclarationSyntax member) =>
        member.Modifiers.Any(m => m.IsKind(SyntaxKind.PublicKeyword) || m.IsKind(SyntaxKind.InternalKeyword) || m.IsKind(SyntaxKind.PrivateKeyword))
            ? member
            : member.WithModifiers(member.Modifiers.Insert(0, SyntaxFactory.Token(SyntaxKind.InternalKeyword).WithTrailingTrivia(SyntaxFactory.Space)))
                .WithLeadingTrivia(member.GetLeadingTrivia());

    static string Describe(MemberDeclarationSyntax member) => member switch
    {
        MethodDeclarationSyntax method => $"function {method.Identifier.Text}",
        FieldDeclarationSyntax field => $"constant {string.Join(", ", field.Declaration.Variables.Select(v => v.Identifier.Text))}",
        _ => member.Kind().ToString(),
    };

    /// <summary>The names a script member puts in the program's top-level scope.</summary>
    static IEnumerable<string> TopLevelNames(MemberDeclarationSyntax member) => member switch
    {
        FieldDeclarationSyntax field when !IsShared(field) => field.Declaration.Variables.Select(v => v.Identifier.Text),
        MethodDeclarationSyntax method when !IsShared(method) => new[] { method.Identifier.Text },
        GlobalStatementSyntax global => NestedNameRenamer.TopLevelNames(global.Statement),
        _ => Array.Empty<string>(),
    };

    /// <summary>artifacts/lib/Name.dll is built by lib/Name/Name.csproj.</summary>
    static string? ProjectFor(string assembly, string repositoryRoot)
    {
        string name = Path.GetFileNameWithoutExtension(assembly);
        string project = Path.Combine(repositoryRoot, "lib", name, name + ".csproj");
        return File.Exists(project) ? project : null;
    }

    static string Commented(string markdown) =>
        string.Join("\n", markdown.ReplaceLineEndings("\n").TrimEnd().Split('\n').Select(line => line.Length == 0 ? "//" : "// " + line));
}
