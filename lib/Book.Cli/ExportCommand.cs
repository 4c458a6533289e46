using System.CommandLine;
using Book.Engine.Export;
using Book.Engine.Running;
using Book.Native;
using Book.Site;

namespace Book.Cli;

/// <summary><c>book export</c>: write chapters as .NET 10 file-based apps that <c>dotnet run chapter.cs</c> executes.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("notebooks") { Description = "Notebooks to export (.ipynb).", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "Export every chapter of book.yml." };
        var output = new Option<string>("--out") { Description = "Folder for the apps; a chapter's path below the book's root is kept.", DefaultValueFactory = _ => "build/apps" };
        var check = new Option<bool>("--check") { Description = "Also compile each app in memory against its packages and the built library, and report compiler errors." };
        var export = new Command("export", "Write notebooks as .NET file-based apps (dotnet run chapter.cs): the same cells, checks and results, without a notebook engine.")
        {
            paths, all, output, check,
        };
        export.SetAction(result =>
        {
            string root = BookRoot.FindFrom(Directory.GetCurrentDirectory()) ?? Directory.GetCurrentDirectory();
            var notebooks = result.GetValue(paths)!.ToList();
            if (result.GetValue(all))
                notebooks.AddRange(BookToc.Load(Path.Combine(root, "book.yml")).Parts.SelectMany(p => p.Chapters).Select(c => Path.Combine(root, c.File)));
            if (notebooks.Count == 0)
            {
                Console.Error.WriteLine("book export: name notebooks to export, or --all.");
                return 2;
            }
            string outputRoot = Path.GetFullPath(result.GetValue(output)!, root);
            int failed = 0;
            foreach (var notebook in notebooks)
            {
                string app = Path.ChangeExtension(NotebookPaths.OutputPath(notebook, root, outputRoot), ".cs");
                if (Path.GetFullPath(app) == Path.GetFullPath(notebook)) { Console.Error.WriteLine($"book export: {notebook}: the app would replace its source."); failed++; continue; }
                try
                {
                    var exported = FileAppExporter.Export(notebook, app, root);
                    Directory.CreateDirectory(Path.GetDirectoryName(app)!);
                    File.WriteAllText(app, exported.Source);
                    Console.WriteLine($"exported {Path.GetRelativePath(root, app)}  (dotnet run {Path.GetRelativePath(Directory.GetCurrentDirectory(), app)})");
                    if (result.GetValue(check) && FileAppCompiler.Errors(exported, root, TimeSpan.FromMinutes(10)) is { Count: > 0 } errors)
                    {
                        Console.Error.WriteLine($"book export: {Path.GetRelativePath(root, app)} does not compile:\n  " + string.Join("\n  ", errors.Take(20)));
                        failed++;
                    }
                }
                catch (Exception e) when (e is FileAppExportException or Book.Engine.Notebooks.NotebookFormatException or Book.Engine.Packages.PackageRestoreException or IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"book export: {e.Message}");
                    failed++;
                }
            }
            return failed == 0 ? 0 : 1;
        });
        return export;
    }
}
