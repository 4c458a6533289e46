namespace TransformersBook.Curation;

/// <summary>
/// Locality-sensitive hashing over MinHash signatures (the banding scheme of Leskovec, Rajaraman and Ullman,
/// <i>Mining of Massive Datasets</i>, ch. 3): a signature of b·r values is cut into b bands of r rows; two documents
/// become a candidate pair when all r rows of at least one band agree. At Jaccard similarity s that happens with
/// probability 1 − (1 − s^r)^b, an S-curve whose steep part sits near (1/b)^(1/r).
/// </summary>
public sealed class LshIndex
{
    readonly Dictionary<(int Band, ulong Key), List<int>> buckets = new();
    readonly List<int> ids = new();

    /// <param name="bands">b.</param>
    /// <param name="rows">r: the signatures added must have b·r values.</param>
    public LshIndex(int bands, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bands, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        Bands = bands;
        Rows = rows;
    }

    /// <summary>b.</summary>
    public int Bands { get; }

    /// <summary>r.</summary>
    public int Rows { get; }

    /// <summary>The number of documents added.</summary>
    public int Count => ids.Count;

    /// <summary>The probability 1 − (1 − s^r)^b that two documents at Jaccard similarity s become candidates.</summary>
    public static double CandidateProbability(double similarity, int bands, int rows) =>
        1 - Math.Pow(1 - Math.Pow(similarity, rows), bands);

    /// <summary>The similarity (1/b)^(1/r) near which the S-curve is steepest, the usual estimate of its threshold.</summary>
    public static double Threshold(int bands, int rows) => Math.Pow(1.0 / bands, 1.0 / rows);

    /// <summary>Whether two signatures agree on all rows of at least one band.</summary>
    public bool AreCandidates(ulong[] a, ulong[] b)
    {
        CheckLength(a);
        CheckLength(b);
        for (int band = 0; band < Bands; band++)
        {
            bool all = true;
            for (int row = band * Rows; row < (band + 1) * Rows && all; row++) all = a[row] == b[row];
            if (all) return true;
        }
        return false;
    }

    /// <summary>Adds a document's signature under its id.</summary>
    public void Add(int id, ulong[] signature)
    {
        CheckLength(signature);
        ids.Add(id);
        for (int band = 0; band < Bands; band++)
        {
            var key = (band, BandKey(signature, band));
            if (!buckets.TryGetValue(key, out var list)) buckets[key] = list = new List<int>();
            list.Add(id);
        }
    }

    /// <summary>Every pair of ids that share a bucket in some band, each once with the smaller id first, sorted.</summary>
    public IReadOnlyList<(int First, int Second)> CandidatePairs()
    {
        var pairs = new HashSet<(int, int)>();
        foreach (var list in buckets.Values)
            for (int i = 0; i < list.Count; i++)
                for (int j = i + 1; j < list.Count; j++)
                    pairs.Add(list[i] < list[j] ? (list[i], list[j]) : (list[j], list[i]));
        return pairs.OrderBy(p => p.Item1).ThenBy(p => p.Item2).ToList();
    }

    ulong BandKey(ulong[] signature, int band)
    {
        // The band's rows hashed together; equal rows give equal keys. Unequal rows collide with probability about 2⁻⁶⁴,
        // and AreCandidates compares rows exactly for a check.
        ulong key = 14695981039346656037UL;
        for (int row = band * Rows; row < (band + 1) * Rows; row++) { key ^= signature[row]; key *= 1099511628211UL; key ^= key >> 29; }
        return key;
    }

    void CheckLength(ulong[] signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (signature.Length != Bands * Rows) throw new ArgumentException($"A signature of {signature.Length} values, expected {Bands}×{Rows}.", nameof(signature));
    }
}
