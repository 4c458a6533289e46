using System.CommandLine;
using Book.Native;
using Book.Site;

namespace Book.Cli;

/// <summary><c>book ledger</c>: record executed chapters' claims, times and source hashes in docs/results.json and .md.</summary>
internal static class LedgerCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("chapters") { Description = "Chapters whose executed copies to record (.ipynb).", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "Every chapter of book.yml." };
        var from = new Option<string>("--from") { Description = "Folder of executed copies.", DefaultValueFactory = _ => BuildPaths.ExecutedNotebooks };
        var stale = new Option<bool>("--stale") { Description = "Only list the chapters whose default-profile entry is missing or older than their source." };
        var ledger = new Command("ledger", "Record executed chapters in the results ledger (docs/results.md): a default-profile copy gives the claims, a smoke copy the smoke time.")
        {
            paths, all, from, stale,
        };
        ledger.SetAction(result =>
        {
            string root = BookRoot.FindFrom(Directory.GetCurrentDirectory()) ?? Directory.GetCurrentDirectory();
            if (result.GetValue(stale))
            {
                var old = ResultsLedger.StaleChapters(root);
                foreach (var chapter in old) Console.WriteLine(chapter);
                return old.Count == 0 ? 0 : 1;
            }
            var chapters = result.GetValue(paths)!.ToList();
            if (result.GetValue(all)) chapters.AddRange(BookToc.Load(Path.Combine(root, BookToc.FileName)).Chapters.Select(c => c.Chapter.File));
            if (chapters.Count == 0)
            {
                Console.Error.WriteLine("book ledger: name chapters to record, or --all.");
                return 2;
            }
            var report = ResultsLedger.Record(root, chapters, Path.GetFullPath(result.GetValue(from)!, root), out bool allRecorded);
            foreach (var line in report) (line.StartsWith("recorded", StringComparison.Ordinal) ? Console.Out : Console.Error).WriteLine(line);
            Console.WriteLine($"wrote {ResultsLedger.PageFile} and {ResultsLedger.DataFile}");
            return allRecorded ? 0 : 1;
        });
        return ledger;
    }
}
