namespace TransformersBook.Curation;

/// <summary>
/// Train/test contamination by word n-gram overlap, as in GPT-3's analysis (Brown et al., 2020, appendix C), which used
/// n = 13: every n-gram of the normalised training documents goes into a set, and a test document is flagged as
/// contaminated when any of its n-grams is in that set. Test documents shorter than n words are never flagged here.
/// </summary>
public sealed class NgramOverlap
{
    readonly HashSet<ulong> trainNgrams = new();

    /// <param name="trainDocuments">The training corpus.</param>
    /// <param name="n">The n-gram length in words.</param>
    public NgramOverlap(IEnumerable<string> trainDocuments, int n)
    {
        ArgumentNullException.ThrowIfNull(trainDocuments);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        N = n;
        foreach (var document in trainDocuments) foreach (ulong h in NgramHashes(document, n)) trainNgrams.Add(h);
    }

    /// <summary>n.</summary>
    public int N { get; }

    /// <summary>Distinct n-grams of the training corpus.</summary>
    public int TrainNgramCount => trainNgrams.Count;

    /// <summary>The stable hashes of a document's word n-grams (one per position; a text of fewer than n words has none).</summary>
    public static IEnumerable<ulong> NgramHashes(string text, int n)
    {
        var words = Shingles.Words(text);
        for (int i = 0; i + n <= words.Length; i++) yield return Shingles.StableHash(string.Join(' ', words, i, n));
    }

    /// <summary>The fraction of a test document's n-gram positions whose n-gram occurs in the training corpus (0 when it has none).</summary>
    public double OverlapFraction(string testDocument)
    {
        var hashes = NgramHashes(testDocument, N).ToList();
        return hashes.Count == 0 ? 0 : hashes.Count(trainNgrams.Contains) / (double)hashes.Count;
    }

    /// <summary>Whether any n-gram of the test document occurs in the training corpus.</summary>
    public bool IsContaminated(string testDocument) => NgramHashes(testDocument, N).Any(trainNgrams.Contains);
}
