using Book.Engine.Notebooks;

namespace Book.Site;

/// <summary>
/// `book render`: turns book.yml and the executed notebooks into one self-contained static folder: a landing page,
/// a page per chapter (with its executed notebook beside it for download), 404.html, the search index and the assets.
/// </summary>
public static class SiteRenderer
{
    /// <summary>Marks a folder as written by this renderer, so rendering again may empty it and nothing else.</summary>
    public const string MarkerFile = ".book-site";

    public static SiteRenderResult Render(SiteRenderOptions options)
    {
        var bookPath = Path.GetFullPath(options.BookPath);
        var root = Path.GetDirectoryName(bookPath)!;
        var output = Path.GetFullPath(options.OutputFolder);
        var executed = Path.GetFullPath(options.ExecutedFolder);

        var toc = BookToc.Load(bookPath);
        var assets = new SiteAssets(Path.GetFullPath(options.AssetsFolder));
        assets.EnsureInstalled();
        PrepareOutputFolder(output, root);

        var warnings = new List<string>();
        var pages = new List<string>();
        var layout = new PageLayout(toc);
        var markdown = new MarkdownCellRenderer();
        var chapterRenderer = new ChapterContentRenderer(markdown, new CellOutputRenderer(markdown));
        var search = new SearchIndex();

        var chapters = toc.Chapters.ToList();
        for (var i = 0; i < chapters.Count; i++)
        {
            var (part, chapter) = chapters[i];
            var source = Path.Combine(root, chapter.File);
            if (!File.Exists(source))
            {
                throw new SiteRenderException($"{chapter.File} is listed in {BookToc.FileName} but does not exist; `book check` lists every such problem.");
            }

            var executedCopy = Path.Combine(executed, chapter.File);
            if (!File.Exists(executedCopy))
            {
                warnings.Add($"{chapter.File}: no executed copy at {Path.GetRelativePath(root, executedCopy)}; rendering the source notebook, without outputs.");
                executedCopy = source;
            }

            NotebookDocument notebook;
            try
            {
                notebook = NotebookDocument.Load(executedCopy);
            }
            catch (NotebookFormatException e)
            {
                throw new SiteRenderException(e.Message);
            }

            if (executedCopy != source && ExecutedCopyFreshness.WhyNotCurrent(notebook.Root, source) is { } stale)
            {
                throw new SiteRenderException(
                    $"{chapter.File}: the executed copy {Path.GetRelativePath(root, executedCopy)} {stale}; run `book run {chapter.File}` again (or delete the copy to render the source without outputs).");
            }

            var page = SitePage.ForChapter(chapter.File);
            var content = chapterRenderer.Render(notebook, chapter.File, chapter.Title);
            warnings.AddRange(content.Warnings);
            var article = SiteArticles.Chapter(page, part, chapter, content, withOutputs: executedCopy != source,
                i > 0 ? chapters[i - 1].Chapter : null,
                i + 1 < chapters.Count ? chapters[i + 1].Chapter : null);

            SiteAssets.Write(output, page.Path, layout.Render(new PageModel(page, chapter.Title, article)
            {
                CurrentChapter = page.Path,
                Contents = content.Headings,
                UsesPlotly = content.UsesPlotly,
            }));
            pages.Add(page.Path);

            // The download is what the page shows: the executed copy, outputs included (the source when there is none).
            SiteAssets.CopyFile(executedCopy, output, chapter.File);
            SiteAssets.Write(output, chapter.File + SiteAssets.DownloadScriptSuffix, SiteAssets.DownloadScript(Path.GetFileName(chapter.File), File.ReadAllText(executedCopy)));
            CopyLocalImages(root, output, chapter.File, content.LocalImages, warnings);
            search.Add(page.Path, chapter.Title, content.Sections);
        }

        var index = new SitePage("index.html");
        SiteAssets.Write(output, index.Path, layout.Render(new PageModel(index, toc.Title, SiteArticles.Landing(index, toc)) { ShowSidebar = false }));
        pages.Insert(0, index.Path);

        var notFound = new SitePage("404.html");
        SiteAssets.Write(output, notFound.Path, layout.Render(new PageModel(notFound, "Page not found", SiteArticles.NotFound()) { IsNotFound = true }));
        pages.Add(notFound.Path);

        SiteAssets.Write(output, SiteAssets.SearchIndexJs, search.ToScript());
        assets.CopyTo(output);
        return new SiteRenderResult(output, pages, warnings);
    }

    /// <summary>
    /// Starts from an empty folder so that pages of removed chapters do not linger, but only ever empties a folder
    /// this renderer made: `--out .` by mistake must not wipe the repository.
    /// </summary>
    private static void PrepareOutputFolder(string output, string root)
    {
        if (string.Equals(output.TrimEnd(Path.DirectorySeparatorChar), root.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
        {
            throw new SiteRenderException($"The output folder {output} is the book's root; choose a folder of its own, such as build/site.");
        }

        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
        {
            if (!File.Exists(Path.Combine(output, MarkerFile)))
            {
                throw new SiteRenderException($"The output folder {output} is not empty and was not written by `book render`; choose another folder or empty it yourself.");
            }

            foreach (var directory in Directory.EnumerateDirectories(output))
            {
                Directory.Delete(directory, recursive: true);
            }

            foreach (var file in Directory.EnumerateFiles(output))
            {
                File.Delete(file);
            }
        }

        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, MarkerFile), "Written by `book render`; the whole folder is replaced on the next render.\n");
    }

    /// <summary>Images referenced by relative paths are copied to the same relative place, so the links keep working.</summary>
    private static void CopyLocalImages(string root, string output, string notebookFile, IEnumerable<string> images, List<string> warnings)
    {
        var notebookFolder = Path.GetDirectoryName(Path.Combine(root, notebookFile))!;
        foreach (var image in images.Distinct(StringComparer.Ordinal))
        {
            var source = Path.GetFullPath(Path.Combine(notebookFolder, Uri.UnescapeDataString(image)));
            var relative = Path.GetRelativePath(root, source);
            if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) || !File.Exists(source))
            {
                warnings.Add($"{notebookFile}: image '{image}' is not a file inside the book; it will be missing from the site.");
                continue;
            }

            SiteAssets.CopyFile(source, output, relative.Replace('\\', '/'));
        }
    }
}
