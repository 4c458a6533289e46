using static TorchSharp.torch;

namespace TransformersBook.Interpretability;

/// <summary>
/// The induction task: a run of uniformly random tokens, then the same run again. The first half cannot be predicted
/// (every next token is fresh), the second half can be predicted exactly by looking back — "find the earlier copy of
/// the current token and predict what came after it", which is what an induction head does (Olsson et al., 2022).
/// </summary>
public static class RepeatedSequences
{
    /// <summary>(batch, 2·halfLength) token ids: x_0 … x_{T−1} x_0 … x_{T−1}, each x uniform in 0 … vocabulary−1.</summary>
    public static Tensor Sample(Random random, int batch, int vocabulary, int halfLength)
    {
        var ids = new long[batch * 2 * halfLength];
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < halfLength; t++)
            {
                long token = random.Next(vocabulary);
                ids[b * 2 * halfLength + t] = token;
                ids[b * 2 * halfLength + halfLength + t] = token;
            }
        return tensor(ids, new long[] { batch, 2 * halfLength });
    }
}
