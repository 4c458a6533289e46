namespace TransformersBook.Retrieval;

/// <summary>
/// Exact nearest-neighbour search by cosine similarity: vectors are stored at unit length, and a query is compared with
/// every one of them (n dot products), keeping the best k in a <see cref="TopK"/> heap. The baseline every approximate
/// index is measured against.
/// </summary>
public sealed class ExactVectorIndex
{
    readonly float[][] vectors;

    /// <param name="vectors">The items, one vector each, all of the same length; they are copied and normalised.</param>
    public ExactVectorIndex(IReadOnlyList<float[]> vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        if (vectors.Count == 0) throw new ArgumentException("An index needs at least one vector.", nameof(vectors));
        Dimension = vectors[0].Length;
        if (vectors.Any(v => v.Length != Dimension)) throw new ArgumentException("All vectors must have the same length.", nameof(vectors));
        this.vectors = vectors.Select(VectorMath.Normalized).ToArray();
    }

    /// <summary>How many vectors the index holds.</summary>
    public int Count => vectors.Length;

    /// <summary>The vectors' length.</summary>
    public int Dimension { get; }

    /// <summary>The stored (unit-length) vector of item <paramref name="id"/>.</summary>
    public ReadOnlySpan<float> Vector(int id) => vectors[id];

    /// <summary>The k items most similar to <paramref name="query"/> by cosine similarity, best first.</summary>
    public SearchResult Search(float[] query, int k)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Length != Dimension) throw new ArgumentException($"The query has {query.Length} values; the index holds vectors of {Dimension}.", nameof(query));
        var unit = VectorMath.Normalized(query);
        var best = new TopK(k);
        for (int i = 0; i < vectors.Length; i++) best.Add(i, VectorMath.Dot(unit, vectors[i]));
        return new SearchResult(best.Best(), vectors.Length);
    }
}
