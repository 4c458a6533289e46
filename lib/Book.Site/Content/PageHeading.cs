namespace Book.Site;

/// <summary>A heading on a rendered page: level (1–6), its element id, and its text for contents and search.</summary>
internal sealed record PageHeading(int Level, string Id, string Text);
