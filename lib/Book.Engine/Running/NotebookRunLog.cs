namespace Book.Engine.Running;

/// <summary>
/// Runs notebooks one after another and logs a line each (status, seconds, notebook, engine, failure): the loop both
/// engines' runners share, so their summaries read the same.
/// </summary>
static class NotebookRunLog
{
    /// <param name="engineLabel">Appended to each line to tell the engines apart, or empty for the book's own.</param>
    public static async Task<IReadOnlyList<NotebookRunResult>> RunEachAsync(
        IReadOnlyList<string> notebooks, Func<string, CancellationToken, Task<NotebookRunResult>> runOne, TextWriter log,
        string engineLabel, CancellationToken cancellationToken)
    {
        var results = new List<NotebookRunResult>();
        foreach (var notebook in notebooks)
        {
            var result = await runOne(notebook, cancellationToken);
            results.Add(result);
            log.WriteLine($"{result.Status.ToString().ToLowerInvariant(),-8} {result.Elapsed.TotalSeconds,7:0.0} s  {result.Notebook}{engineLabel}" +
                          (result.Failure is null ? "" : $"\n         {result.Failure.Replace("\n", "\n         ")}"));
        }
        return results;
    }
}
