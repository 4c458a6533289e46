namespace TransformersBook.Fairness;

/// <summary>The outcome of a WEAT: its statistic, effect size and one-sided permutation p-value.</summary>
/// <param name="Statistic">s(X, Y, A, B) = Σ_x s(x, A, B) − Σ_y s(y, A, B).</param>
/// <param name="EffectSize">Cohen's-d-like effect size d (see <see cref="Weat.EffectSize"/>).</param>
/// <param name="PValue">The share of partitions of X ∪ Y whose statistic is at least the observed one.</param>
/// <param name="Partitions">How many partitions were evaluated (all of them when <paramref name="Exact"/>).</param>
/// <param name="Exact">True when every partition was enumerated, false when they were sampled.</param>
public sealed record WeatResult(double Statistic, double EffectSize, double PValue, long Partitions, bool Exact);
