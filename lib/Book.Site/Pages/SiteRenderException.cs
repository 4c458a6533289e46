namespace Book.Site;

/// <summary>The site cannot be rendered; the message says why and what to do about it.</summary>
public sealed class SiteRenderException(string message) : Exception(message);
