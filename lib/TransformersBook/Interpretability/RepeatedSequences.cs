using static TorchSharp.torch;

namespace TransformersBook.Interpretability;

/// <summary>
/// The induction task: uniformly random tokens in which a segment is repeated. Sequences have 2T tokens; a segment S
/// of m tokens (m drawn per sequence between a minimum period and T) ends the sequence twice — fresh random tokens,
/// then S, then S again. Tokens seen for the first time cannot be predicted; inside the second copy every token can be,
/// by looking back — "find the earlier copy of the current token and predict what came after it", which is what an
/// induction head does (Olsson et al., 2022). Varying m keeps a model from solving the task by position alone
/// ("copy the token T − 1 steps back"): it has to match content.
/// </summary>
public static class RepeatedSequences
{
    /// <summary>(batch, 2·halfLength) token ids, each x uniform in 0 … vocabulary−1.</summary>
    /// <param name="random">The source of the tokens and periods.</param>
    /// <param name="batch">Sequences.</param>
    /// <param name="vocabulary">Token ids 0 … vocabulary−1.</param>
    /// <param name="halfLength">T: the sequences have 2T tokens and the repeated segment at most T.</param>
    /// <param name="minimumPeriod">The shortest segment m (default T: always two halves, S S).</param>
    public static Tensor Sample(Random random, int batch, int vocabulary, int halfLength, int? minimumPeriod = null)
    {
        int shortest = minimumPeriod ?? halfLength;
        if (shortest < 1 || shortest > halfLength) throw new ArgumentOutOfRangeException(nameof(minimumPeriod), $"the period must lie in 1 … {halfLength}.");
        int length = 2 * halfLength;
        var ids = new long[batch * length];
        for (int b = 0; b < batch; b++)
        {
            int period = random.Next(shortest, halfLength + 1);
            int start = length - 2 * period;                        // fresh tokens before the first copy
            for (int t = 0; t < start + period; t++) ids[b * length + t] = random.Next(vocabulary);
            for (int t = start + period; t < length; t++) ids[b * length + t] = ids[b * length + t - period];
        }
        return tensor(ids, new long[] { batch, length });
    }

    /// <summary>
    /// (batch, time − 1) true at loss position t (which predicts token t + 1) when copying works: token t occurred
    /// before at some j and token j + 1 equals token t + 1. These are the positions an induction head can predict.
    /// </summary>
    public static Tensor CopyablePositions(Tensor tokens)
    {
        long time = tokens.shape[1];
        using var scope = NewDisposeScope();
        var targets = PrefixMatchingScore.Targets(tokens).narrow(1, 0, time - 1).gt(0);   // (B, T−1, T): [t, j+1] for earlier copies j of token t
        var next = tokens.narrow(1, 1, time - 1).unsqueeze(2).eq(tokens.unsqueeze(1));    // [t, k]: token k = token t + 1
        return (targets & next).any(-1).MoveToOuterDisposeScope();
    }

    /// <summary>(batch, time − 1) true at loss position t when token t + 1 has not occurred before: nothing in the context predicts it.</summary>
    public static Tensor FreshPositions(Tensor tokens)
    {
        long time = tokens.shape[1];
        using var scope = NewDisposeScope();
        var earlier = ones(time, time, dtype: ScalarType.Bool, device: tokens.device).tril(-1);
        var seen = (tokens.unsqueeze(2).eq(tokens.unsqueeze(1)) & earlier).any(-1);        // (B, T): token i occurred before i
        return seen.narrow(1, 1, time - 1).logical_not().MoveToOuterDisposeScope();
    }
}
