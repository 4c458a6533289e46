using System.CommandLine;
using Book.Native;
using Book.Site;

namespace Book.Cli;

/// <summary>
/// `book render`, `book check` and `book serve`. Without --book the book is found by walking up from the current
/// folder to the one holding book.yml; the other relative paths are taken from that folder, so the commands behave
/// the same from anywhere inside the repository.
/// </summary>
internal static class SiteCommands
{
    public static Command CreateRender()
    {
        var book = BookOption();
        var executed = new Option<string>("--executed")
        {
            Description = "Folder with the runner's executed notebooks, at the same relative paths as the sources",
            DefaultValueFactory = _ => BuildPaths.ExecutedNotebooks,
        };
        var output = new Option<string>("--out")
        {
            Description = "Folder to write the site into (replaced on every render)",
            DefaultValueFactory = _ => BuildPaths.Site,
        };
        var command = new Command("render", "Render the book to a static site: one folder, no requests to other hosts");
        command.Options.Add(book);
        command.Options.Add(executed);
        command.Options.Add(output);
        command.SetAction(parseResult =>
        {
            if (!TryFindBook(parseResult.GetValue(book), out var bookPath))
            {
                return 1;
            }

            var root = Path.GetDirectoryName(bookPath)!;
            try
            {
                var result = SiteRenderer.Render(new SiteRenderOptions(
                    bookPath,
                    Path.Combine(root, parseResult.GetValue(executed)!),
                    Path.Combine(root, parseResult.GetValue(output)!),
                    Path.Combine(root, "site")));
                foreach (var warning in result.Warnings)
                {
                    Console.Error.WriteLine($"warning: {warning}");
                }

                Console.WriteLine($"Rendered {result.Pages.Count} pages to {result.OutputFolder}");
                return 0;
            }
            catch (Exception e) when (e is BookTocException or SiteRenderException)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }
        });
        return command;
    }

    public static Command CreateCheck()
    {
        var book = BookOption();
        var command = new Command("check", "Check book.yml against chapters/ and that every chapter notebook is clean");
        command.Options.Add(book);
        command.SetAction(parseResult =>
        {
            if (!TryFindBook(parseResult.GetValue(book), out var bookPath))
            {
                return 1;
            }

            var problems = BookCheck.Run(bookPath);
            foreach (var problem in problems)
            {
                Console.Error.WriteLine(problem);
            }

            Console.WriteLine(problems.Count == 0 ? "The book is in order." : $"{problems.Count} problem(s) found.");
            return problems.Count == 0 ? 0 : 1;
        });
        return command;
    }

    public static Command CreateServe()
    {
        var site = new Option<string>("--site")
        {
            Description = "Rendered site folder to serve",
            DefaultValueFactory = _ => BuildPaths.Site,
        };
        var port = new Option<int>("--port")
        {
            Description = "Port on 127.0.0.1",
            DefaultValueFactory = _ => 8000,
        };
        var command = new Command("serve", "Serve the rendered site on http://127.0.0.1 for reading locally");
        command.Options.Add(site);
        command.Options.Add(port);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var folder = parseResult.GetValue(site)!;
            if (!Path.IsPathRooted(folder) && BookRoot.FindFrom(Environment.CurrentDirectory) is { } root)
            {
                folder = Path.Combine(root, folder);
            }

            await using var server = new StaticSiteServer(folder, parseResult.GetValue(port));
            try
            {
                server.Start();
            }
            catch (Exception e) when (e is SiteRenderException or System.Net.HttpListenerException)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }

            Console.WriteLine($"Serving {Path.GetFullPath(folder)} at {server.BaseAddress} (Ctrl+C to stop)");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: System.CommandLine cancels the token; the server stops when disposed.
            }

            return 0;
        });
        return command;
    }

    private static Option<string?> BookOption() => new("--book")
    {
        Description = "Path to book.yml (default: found by walking up from the current folder)",
    };

    private static bool TryFindBook(string? given, out string bookPath)
    {
        if (given is not null)
        {
            bookPath = Path.GetFullPath(given);
            if (File.Exists(bookPath))
            {
                return true;
            }

            Console.Error.WriteLine($"{bookPath} does not exist.");
            return false;
        }

        if (BookRoot.FindFrom(Environment.CurrentDirectory) is { } root)
        {
            bookPath = Path.Combine(root, BookToc.FileName);
            return true;
        }

        bookPath = "";
        Console.Error.WriteLine($"No {BookToc.FileName} in {Environment.CurrentDirectory} or any folder above it; run inside the book's repository or pass --book.");
        return false;
    }
}
