using Microsoft.DotNet.Interactive.Formatting;

namespace TransformersBook.Display;

/// <summary>
/// Works around a bug of the .NET Interactive engine (1.0.712001, its final release): its <c>display(x)</c> announces
/// one <see cref="DisplayedValue"/> and returns another, with a different display id, so <c>Update</c> on the handle
/// a cell gets changes no output in any front end. Both objects share the same list of formatted values, so this
/// records the values the engine announced and finds, for a handle, the one whose updates reach the output.
/// </summary>
public static class ProducedDisplays
{
    const int Remembered = 64;
    static readonly object Gate = new();
    static readonly LinkedList<DisplayedValue> Recent = new();
    static IDisposable? subscription;

    /// <summary>Starts recording what the engine displays (idempotent).</summary>
    public static void Track()
    {
        lock (Gate) subscription ??= Formatter.SubscribeToDisplayedValues(Remember);
    }

    /// <summary>The announced value behind <paramref name="handle"/>, or null when none was recorded.</summary>
    public static DisplayedValue? AnnouncedFor(DisplayedValue handle)
    {
        lock (Gate)
        {
            for (var node = Recent.Last; node is not null; node = node.Previous)
                if (!ReferenceEquals(node.Value, handle) && ReferenceEquals(node.Value.FormattedValues, handle.FormattedValues))
                    return node.Value;
            return null;
        }
    }

    static void Remember(DisplayedValue value)
    {
        if (value.IsUpdated) return;
        lock (Gate)
        {
            Recent.AddLast(value);
            if (Recent.Count > Remembered) Recent.RemoveFirst();
        }
    }
}
