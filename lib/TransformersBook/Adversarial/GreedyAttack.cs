namespace TransformersBook.Adversarial;

/// <summary>
/// A black-box greedy search over character edits (in the spirit of DeepWordBug, Gao et al., 2018, and of
/// Pruthi et al., 2019): at every step draw candidate edits, score every edited text, keep the one with the lowest
/// probability of the true class; stop when that probability falls below the threshold or the budget is spent.
/// </summary>
public static class GreedyAttack
{
    /// <summary>Attacks one text.</summary>
    /// <param name="text">The text, correctly classified.</param>
    /// <param name="trueClassProbability">Scores a batch of texts: the model's probability of the true class for each.</param>
    /// <param name="budget">The most edits.</param>
    /// <param name="candidatesPerStep">Candidate edits drawn at each step.</param>
    /// <param name="random">The random source of the candidates.</param>
    /// <param name="alphabet">Characters a substitution or insertion may write.</param>
    /// <param name="threshold">Success is a probability below this.</param>
    /// <param name="kinds">Allowed edit kinds (all four when null).</param>
    public static TextAttackResult Run(
        string text, Func<IReadOnlyList<string>, double[]> trueClassProbability, int budget, int candidatesPerStep, Random random,
        string alphabet, double threshold = 0.5, IReadOnlyList<TextEditKind>? kinds = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(trueClassProbability);
        ArgumentOutOfRangeException.ThrowIfNegative(budget);
        var current = text;
        var edits = new List<TextEdit>();
        var probabilities = new List<double> { trueClassProbability(new[] { text })[0] };
        int queries = 1;
        while (probabilities[^1] >= threshold && edits.Count < budget)
        {
            var candidates = EditCandidates.Sample(current, candidatesPerStep, random, alphabet, kinds);
            if (candidates.Count == 0) break;
            var edited = candidates.Select(e => e.Apply(current)).ToArray();
            var scores = trueClassProbability(edited);
            queries += edited.Length;
            int best = 0;
            for (int i = 1; i < scores.Length; i++) if (scores[i] < scores[best]) best = i;
            edits.Add(candidates[best]);
            current = edited[best];
            probabilities.Add(scores[best]);
        }
        return new TextAttackResult(text, current, edits, probabilities, probabilities[^1] < threshold, queries);
    }
}
