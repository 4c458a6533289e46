using Book.Engine.Packages;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Book.Engine.Export;

/// <summary>
/// Compiles an exported app in memory, as `dotnet run` would, to find what the export got wrong without building a
/// project per chapter: the app's packages (restored as the engine restores a notebook's), the book's built library
/// for each #:project, the SDK's implicit usings, top-level statements, nullable off.
/// </summary>
public static class FileAppCompiler
{
    // The SDK's implicit usings for a console program (ImplicitUsings=enable, on by default in file-based apps).
    static readonly string[] ImplicitUsings =
        { "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks" };

    /// <summary>The compiler's errors, each as "line: CSxxxx message"; empty when the app compiles.</summary>
    /// <param name="app">The exported app.</param>
    /// <param name="repositoryRoot">The book's root; #:project lib/Name/Name.csproj is compiled against artifacts/lib/Name.dll.</param>
    /// <param name="restoreTimeout">How long a package restore may take.</param>
    public static IReadOnlyList<string> Errors(FileApp app, string repositoryRoot, TimeSpan restoreTimeout)
    {
        var restored = PackageRestorer.Restore(app.Packages, restoreTimeout);
        var references = FrameworkReferences()
            .Concat(restored.CompileAssemblies)
            .Concat(app.Projects.Select(p => Path.GetFileNameWithoutExtension(p)).Select(name => Path.Combine(repositoryRoot, "artifacts", "lib", name + ".dll")))
            .Concat(new[] { typeof(Microsoft.DotNet.Interactive.Formatting.Formatter).Assembly.Location })
            .Concat(Directory.Exists(Path.Combine(repositoryRoot, "artifacts", "lib")) ? Directory.GetFiles(Path.Combine(repositoryRoot, "artifacts", "lib"), "Book.*.dll") : Array.Empty<string>())
            .Where(File.Exists)
            .Distinct(StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));

        // #: lines are the SDK's, not the compiler's; blank them so line numbers still match the file.
        string code = string.Join("\n", app.Source.Split('\n').Select(l => l.StartsWith("#:", StringComparison.Ordinal) ? "" : l));
        var parse = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);
        var trees = new[]
        {
            CSharpSyntaxTree.ParseText(code, parse, path: "app.cs"),
            CSharpSyntaxTree.ParseText(string.Concat(ImplicitUsings.Select(n => $"global using {n};\n")), parse, path: "implicit-usings.cs"),
        };
        var compilation = CSharpCompilation.Create("ExportedChapter", trees, references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Disable));
        return compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => $"{d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.Id} {d.GetMessage()}")
            .ToList();
    }

    static IEnumerable<string> FrameworkReferences()
    {
        var tpa = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        string runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return tpa.Where(p => Path.GetDirectoryName(p) == runtimeDir);
    }
}
