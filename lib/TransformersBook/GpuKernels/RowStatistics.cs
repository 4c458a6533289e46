using ILGPU;

namespace TransformersBook.GpuKernels;

/// <summary>
/// The running statistics the row kernels keep, each with a rule to add one value and a rule to merge two partial
/// results, so one thread can fold in its share of a row and a group can then combine its threads' shares in any
/// order. Plain static methods on structs: ILGPU compiles (and inlines) them into the kernels.
/// </summary>
internal static class RowStatistics
{
    /// <summary>Threads per row at most in <see cref="RowKernelStrategy.GroupPerRow"/>: the size of the shared arrays.</summary>
    public const int MaxThreadsPerRow = 256;
}

/// <summary>
/// The "online softmax" state of Milakov and Gimelshein (2018): the largest value m seen so far and Σ exp(x − m).
/// When a larger value arrives the sum is rescaled by exp(m_old − m_new), so one pass yields both the maximum that
/// makes exp safe (no overflow for inputs like 1e4) and the normaliser.
/// </summary>
internal struct SoftmaxState
{
    public float Max;
    public float Sum;

    public static SoftmaxState Empty => new() { Max = float.NegativeInfinity, Sum = 0f };

    public static SoftmaxState Add(SoftmaxState state, float x) => Merge(state, new SoftmaxState { Max = x, Sum = 1f });

    public static SoftmaxState Merge(SoftmaxState a, SoftmaxState b)
    {
        float max = IntrinsicMath.Max(a.Max, b.Max);
        // A side whose maximum is −∞ (nothing seen yet, or only masked −∞ entries) contributes exp(−∞) = 0; without
        // this test exp(−∞ − (−∞)) would be NaN.
        float sum = (a.Max == float.NegativeInfinity ? 0f : a.Sum * KernelMath.Exp(a.Max - max))
                  + (b.Max == float.NegativeInfinity ? 0f : b.Sum * KernelMath.Exp(b.Max - max));
        return new SoftmaxState { Max = max, Sum = sum };
    }
}

/// <summary>
/// Welford's (1962) running mean and sum of squared deviations, merged with the pairwise rule of Chan, Golub and
/// LeVeque (1979). Unlike E[x²] − E[x]², it does not lose the variance to cancellation when |mean| ≫ std; the
/// kernels also feed it x − x₀ (x₀ the row's first element), so the running mean stays small and its rounding error
/// is relative to the spread of the row, not to its offset.
/// </summary>
internal struct MomentsState
{
    public float Count;
    public float Mean;
    public float SquaredDeviations;

    public static MomentsState Add(MomentsState state, float x)
    {
        float count = state.Count + 1f;
        float delta = x - state.Mean;
        float mean = state.Mean + delta / count;
        return new MomentsState { Count = count, Mean = mean, SquaredDeviations = state.SquaredDeviations + delta * (x - mean) };
    }

    public static MomentsState Merge(MomentsState a, MomentsState b)
    {
        if (a.Count == 0f) return b;
        if (b.Count == 0f) return a;
        float count = a.Count + b.Count;
        float delta = b.Mean - a.Mean;
        float weight = b.Count / count;
        return new MomentsState
        {
            Count = count,
            Mean = a.Mean + delta * weight,
            SquaredDeviations = a.SquaredDeviations + b.SquaredDeviations + delta * delta * a.Count * weight,
        };
    }
}
