using static TorchSharp.torch;

namespace TransformersBook.Interpretability;

/// <summary>
/// Olsson et al.'s (2022) in-context-learning score: the loss late in the context minus the loss early in it (they
/// used token 500 minus token 50). It is negative when the model predicts better with more context, and its fall over
/// training marks the formation of induction heads.
/// </summary>
public static class InContextLearningScore
{
    /// <summary>mean(loss[late]) − mean(loss[early]), each a window of positions.</summary>
    /// <param name="lossPerPosition">(batch, positions) or (positions) losses; averaged over the batch.</param>
    /// <param name="early">The first early position and how many.</param>
    /// <param name="late">The first late position and how many.</param>
    public static double Compute(Tensor lossPerPosition, (int Start, int Count) early, (int Start, int Count) late)
    {
        using var scope = NewDisposeScope();
        var perPosition = lossPerPosition.dim() == 1 ? lossPerPosition : lossPerPosition.mean(new long[] { 0 });
        var values = perPosition.detach().cpu().to_type(ScalarType.Float64).data<double>().ToArray();
        return Compute(values, early, late);
    }

    /// <summary>The same on a loss per position given as numbers.</summary>
    public static double Compute(double[] lossPerPosition, (int Start, int Count) early, (int Start, int Count) late)
    {
        double Mean((int Start, int Count) window)
        {
            if (window.Count < 1 || window.Start < 0 || window.Start + window.Count > lossPerPosition.Length)
                throw new ArgumentOutOfRangeException(nameof(window), $"window {window} does not fit {lossPerPosition.Length} positions.");
            return Enumerable.Range(window.Start, window.Count).Average(i => lossPerPosition[i]);
        }
        return Mean(late) - Mean(early);
    }
}
