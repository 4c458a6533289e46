namespace TransformersBook.Models;

/// <summary>
/// The popularity baseline: every user gets the same ranking, items ordered by how often they occur in the training
/// sequences. It ignores the history entirely; a sequential model has to beat it to have learnt anything personal.
/// </summary>
public sealed class PopularityRecommender
{
    readonly float[] counts;

    /// <param name="itemCount">Items have ids 1…itemCount.</param>
    /// <param name="trainSequences">The training sequences.</param>
    public PopularityRecommender(int itemCount, IEnumerable<int[]> trainSequences)
    {
        ArgumentNullException.ThrowIfNull(trainSequences);
        counts = new float[itemCount + 1];
        foreach (var sequence in trainSequences)
            foreach (int item in sequence) counts[item]++;
        counts[0] = float.NegativeInfinity;
    }

    /// <summary>How often each item occurs in training (index 0, padding, is −∞).</summary>
    public IReadOnlyList<float> Counts => counts;

    /// <summary>The score of every item for a user: its training count, whatever the history.</summary>
    public float[] Scores(IReadOnlyList<int> history) => (float[])counts.Clone();
}
