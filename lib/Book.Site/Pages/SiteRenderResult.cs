namespace Book.Site;

/// <summary>What `book render` wrote (site-relative page paths) and what a maintainer should look at.</summary>
public sealed record SiteRenderResult(string OutputFolder, IReadOnlyList<string> Pages, IReadOnlyList<string> Warnings);
