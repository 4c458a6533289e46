namespace Book.Kernel;

/// <summary>
/// Since protocol 5.2, cursor positions count Unicode code points; C# strings index UTF-16 code units.
/// The two differ after any character outside the Basic Multilingual Plane (emoji, for one).
/// </summary>
public static class CursorOffsets
{
    public static int CodePointsToUtf16(string text, int codePoints)
    {
        var index = 0;
        for (var seen = 0; seen < codePoints && index < text.Length; seen++)
            index += char.IsSurrogatePair(text, index) ? 2 : 1;
        return index;
    }

    public static int Utf16ToCodePoints(string text, int utf16Index)
    {
        var end = Math.Clamp(utf16Index, 0, text.Length);
        var codePoints = 0;
        for (var index = 0; index < end; codePoints++)
            index += char.IsSurrogatePair(text, index) ? 2 : 1;
        return codePoints;
    }
}
