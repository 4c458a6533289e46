using Book.Kernel;

namespace Book.Kernel.Tests;

public class CursorOffsetsTests
{
    const string WithEmoji = "var s = \"😀\"; s.Len";

    [Fact]
    public void Code_points_and_utf16_agree_on_plain_text()
    {
        Assert.Equal(5, CursorOffsets.CodePointsToUtf16("hello world", 5));
        Assert.Equal(5, CursorOffsets.Utf16ToCodePoints("hello world", 5));
    }

    [Fact]
    public void A_character_outside_the_BMP_is_one_code_point_but_two_utf16_units()
    {
        var codePoints = WithEmoji.EnumerateRunes().Count();
        Assert.Equal(WithEmoji.Length, CursorOffsets.CodePointsToUtf16(WithEmoji, codePoints));
        Assert.Equal(codePoints, CursorOffsets.Utf16ToCodePoints(WithEmoji, WithEmoji.Length));
        Assert.Equal(WithEmoji.Length - 1, codePoints);
    }

    [Fact]
    public void Positions_past_the_end_are_clamped()
    {
        Assert.Equal(3, CursorOffsets.CodePointsToUtf16("abc", 10));
        Assert.Equal(3, CursorOffsets.Utf16ToCodePoints("abc", 10));
    }
}
