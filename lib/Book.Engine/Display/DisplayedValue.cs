namespace Book.Engine.Display;

/// <summary>
/// What <c>display(...)</c> returns, as in Polyglot: a handle whose <see cref="Update"/> replaces the earlier
/// output in place (a live progress bar, a chart redrawn during training).
/// </summary>
public sealed class DisplayedValue
{
    readonly Action<MimeBundle, string, bool> publish;
    readonly IReadOnlyList<string> mimeTypes;

    internal DisplayedValue(string displayId, IReadOnlyList<string> mimeTypes, Action<MimeBundle, string, bool> publish)
    {
        DisplayId = displayId;
        this.mimeTypes = mimeTypes;
        this.publish = publish;
    }

    public string DisplayId { get; }

    public void Update(object? value) => publish(MimeBundleFormatter.Format(value, mimeTypes), DisplayId, true);
}
