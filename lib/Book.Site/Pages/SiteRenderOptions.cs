namespace Book.Site;

/// <summary>
/// Where `book render` reads and writes. ExecutedFolder holds the runner's executed copies at the same relative
/// paths as the sources (build/notebooks/chapters/…); AssetsFolder is the repository's site/ folder.
/// </summary>
public sealed record SiteRenderOptions(string BookPath, string ExecutedFolder, string OutputFolder, string AssetsFolder);
