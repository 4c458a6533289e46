namespace TransformersBook.Models;

/// <summary>
/// The first-order Markov baseline: the next item is scored by how often it followed the user's last item in the
/// training sequences, count(last → j). Items never seen after the last item tie at 0; popularity, scaled below 1,
/// breaks those ties, so the baseline backs off to <see cref="PopularityRecommender"/> where the counts are silent.
/// </summary>
public sealed class MarkovRecommender
{
    readonly float[,] transitions;
    readonly float[] popularity;

    /// <param name="itemCount">Items have ids 1…itemCount.</param>
    /// <param name="trainSequences">The training sequences; every consecutive pair is one transition.</param>
    public MarkovRecommender(int itemCount, IEnumerable<int[]> trainSequences)
    {
        ArgumentNullException.ThrowIfNull(trainSequences);
        transitions = new float[itemCount + 1, itemCount + 1];
        var counts = new float[itemCount + 1];
        foreach (var sequence in trainSequences)
        {
            for (int t = 0; t < sequence.Length; t++) counts[sequence[t]]++;
            for (int t = 1; t < sequence.Length; t++) transitions[sequence[t - 1], sequence[t]]++;
        }
        float scale = counts.Max() + 1;
        popularity = counts.Select(c => c / scale).ToArray();
    }

    /// <summary>How often <paramref name="to"/> followed <paramref name="from"/> in training.</summary>
    public float TransitionCount(int from, int to) => transitions[from, to];

    /// <summary>count(last → j) + popularity(j) / (max popularity + 1) for every item j (index 0 is −∞).</summary>
    public float[] Scores(IReadOnlyList<int> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        int last = history[^1];
        var scores = new float[popularity.Length];
        for (int j = 1; j < scores.Length; j++) scores[j] = transitions[last, j] + popularity[j];
        scores[0] = float.NegativeInfinity;
        return scores;
    }
}
