namespace TransformersBook.Data;

/// <summary>
/// The leave-one-out split of sequential recommendation (Kang and McAuley, 2018): each user's last item is the test
/// target, the second-to-last the validation target, and everything before is training data.
/// </summary>
public sealed class LeaveOneOutSplit
{
    /// <param name="sequences">One time-ordered sequence of item ids per user, each of length ≥ 3.</param>
    public LeaveOneOutSplit(IReadOnlyList<int[]> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Any(s => s.Length < 3)) throw new ArgumentException("Every sequence needs at least 3 items.", nameof(sequences));
        Train = sequences.Select(s => s[..^2]).ToArray();
        ValidationHistory = Train;
        ValidationTarget = sequences.Select(s => s[^2]).ToArray();
        TestHistory = sequences.Select(s => s[..^1]).ToArray();
        TestTarget = sequences.Select(s => s[^1]).ToArray();
    }

    /// <summary>Each user's sequence without its last two items: what models train on.</summary>
    public IReadOnlyList<int[]> Train { get; }

    /// <summary>The history a validation prediction sees (the training sequence).</summary>
    public IReadOnlyList<int[]> ValidationHistory { get; }

    /// <summary>Each user's second-to-last item.</summary>
    public IReadOnlyList<int> ValidationTarget { get; }

    /// <summary>The history a test prediction sees: everything but the last item (the validation item included).</summary>
    public IReadOnlyList<int[]> TestHistory { get; }

    /// <summary>Each user's last item.</summary>
    public IReadOnlyList<int> TestTarget { get; }

    /// <summary>
    /// The last <paramref name="length"/> items of a sequence, padded on the left with 0, as SASRec feeds a history:
    /// the most recent item always sits at the last position.
    /// </summary>
    public static long[] LeftPadded(IReadOnlyList<int> items, int length)
    {
        ArgumentNullException.ThrowIfNull(items);
        var row = new long[length];
        int take = Math.Min(length, items.Count);
        for (int i = 0; i < take; i++) row[length - take + i] = items[items.Count - take + i];
        return row;
    }
}
