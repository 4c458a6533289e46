namespace TransformersBook.Curation;

/// <summary>The Jaccard similarity |A ∩ B| / |A ∪ B| of two sets; two empty sets have similarity 1.</summary>
public static class Jaccard
{
    /// <summary>|A ∩ B| / |A ∪ B| of two sets.</summary>
    public static double Of<T>(IReadOnlySet<T> a, IReadOnlySet<T> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count == 0 && b.Count == 0) return 1.0;
        var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
        int intersection = small.Count(large.Contains);
        return (double)intersection / (a.Count + b.Count - intersection);
    }

    /// <summary>The same for two sets given as sorted arrays of distinct values, by one merge pass (no allocation).</summary>
    public static double OfSorted(ulong[] a, ulong[] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Length == 0 && b.Length == 0) return 1.0;
        int i = 0, j = 0, intersection = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j]) { intersection++; i++; j++; }
            else if (a[i] < b[j]) i++;
            else j++;
        }
        return (double)intersection / (a.Length + b.Length - intersection);
    }
}
