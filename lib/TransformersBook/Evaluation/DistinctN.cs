namespace TransformersBook.Evaluation;

/// <summary>
/// Distinct-n (Li et al., 2016): the number of different n-grams in a set of generated sequences divided by the
/// number of n-grams in them. 1 means no n-gram repeats anywhere; a decoder that loops or that gives every prompt
/// the same continuation scores low.
/// </summary>
public static class DistinctN
{
    /// <summary>Distinct n-grams ÷ all n-grams over every sequence (0 when no sequence is n long).</summary>
    /// <param name="sequences">The generated token sequences.</param>
    /// <param name="n">The n-gram order.</param>
    public static double Of(IEnumerable<IReadOnlyList<long>> sequences, int n)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be positive.");
        var distinct = new HashSet<string>();
        long total = 0;
        foreach (var sequence in sequences)
            for (int i = 0; i + n <= sequence.Count; i++)
            {
                distinct.Add(string.Join(",", Enumerable.Range(i, n).Select(j => sequence[j])));
                total++;
            }
        return total == 0 ? 0 : distinct.Count / (double)total;
    }
}
