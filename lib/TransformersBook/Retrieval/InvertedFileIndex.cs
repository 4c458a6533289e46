namespace TransformersBook.Retrieval;

/// <summary>
/// An inverted-file (IVF) index for approximate cosine search (Jégou et al., 2011; the IVF of FAISS): spherical k-means
/// splits the unit-length vectors into L lists around L centroids; a query is compared with the L centroids, and only
/// the vectors of the <c>probes</c> nearest lists are scanned. Probing every list scans every vector, so the answer is
/// then exactly that of <see cref="ExactVectorIndex"/>; probing p of L lists costs about L + n·p/L dot products.
/// </summary>
public sealed class InvertedFileIndex
{
    readonly float[][] vectors;
    readonly float[][] centroids;
    readonly int[][] lists;

    /// <param name="vectors">The items; copied and normalised to unit length.</param>
    /// <param name="listCount">L, the number of k-means clusters (at most the number of vectors).</param>
    /// <param name="iterations">Lloyd iterations of k-means.</param>
    /// <param name="seed">Seeds the choice of the initial centroids (L distinct vectors drawn at random).</param>
    public InvertedFileIndex(IReadOnlyList<float[]> vectors, int listCount, int iterations = 10, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        if (listCount < 1 || listCount > vectors.Count) throw new ArgumentOutOfRangeException(nameof(listCount), $"Need 1 ≤ L ≤ {vectors.Count}.");
        Dimension = vectors[0].Length;
        this.vectors = vectors.Select(VectorMath.Normalized).ToArray();
        var random = new Random(seed);
        var order = Enumerable.Range(0, this.vectors.Length).ToArray();
        random.Shuffle(order);
        centroids = order.Take(listCount).Select(i => (float[])this.vectors[i].Clone()).ToArray();
        var assignment = new int[this.vectors.Length];
        for (int iteration = 0; iteration <= iterations; iteration++)
        {
            for (int i = 0; i < this.vectors.Length; i++) assignment[i] = Nearest(this.vectors[i]);
            if (iteration == iterations) break;
            // Spherical k-means: each centroid moves to the normalised mean of its members; an empty list keeps its centroid.
            var sums = new double[listCount, Dimension];
            var counts = new int[listCount];
            for (int i = 0; i < this.vectors.Length; i++)
            {
                counts[assignment[i]]++;
                for (int d = 0; d < Dimension; d++) sums[assignment[i], d] += this.vectors[i][d];
            }
            for (int c = 0; c < listCount; c++)
                if (counts[c] > 0)
                    centroids[c] = VectorMath.Normalized(Enumerable.Range(0, Dimension).Select(d => (float)sums[c, d]).ToArray());
        }
        lists = Enumerable.Range(0, listCount).Select(c => Enumerable.Range(0, this.vectors.Length).Where(i => assignment[i] == c).ToArray()).ToArray();
    }

    int Nearest(float[] v)
    {
        int best = 0;
        float bestScore = float.NegativeInfinity;
        for (int c = 0; c < centroids.Length; c++)
        {
            float s = VectorMath.Dot(v, centroids[c]);
            if (s > bestScore) { bestScore = s; best = c; }
        }
        return best;
    }

    /// <summary>The vectors' length.</summary>
    public int Dimension { get; }

    /// <summary>How many vectors the index holds.</summary>
    public int Count => vectors.Length;

    /// <summary>L, the number of lists.</summary>
    public int ListCount => centroids.Length;

    /// <summary>How many vectors each list holds.</summary>
    public IReadOnlyList<int> ListSizes => lists.Select(l => l.Length).ToList();

    /// <summary>
    /// The k items most similar to <paramref name="query"/> among those in the <paramref name="probes"/> lists whose
    /// centroids are nearest to it, best first; the cost counts the L centroid comparisons and every vector scanned.
    /// </summary>
    public SearchResult Search(float[] query, int k, int probes)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Length != Dimension) throw new ArgumentException($"The query has {query.Length} values; the index holds vectors of {Dimension}.", nameof(query));
        ArgumentOutOfRangeException.ThrowIfLessThan(probes, 1);
        var unit = VectorMath.Normalized(query);
        var nearestLists = new TopK(Math.Min(probes, centroids.Length));
        for (int c = 0; c < centroids.Length; c++) nearestLists.Add(c, VectorMath.Dot(unit, centroids[c]));
        var best = new TopK(k);
        long cost = centroids.Length;
        foreach (var list in nearestLists.Best())
            foreach (int i in lists[list.Id])
            {
                best.Add(i, VectorMath.Dot(unit, vectors[i]));
                cost++;
            }
        return new SearchResult(best.Best(), cost);
    }
}
