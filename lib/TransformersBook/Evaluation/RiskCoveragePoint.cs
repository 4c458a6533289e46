namespace TransformersBook.Evaluation;

/// <summary>One point of a risk–coverage curve.</summary>
/// <param name="Threshold">The confidence of the last answer kept: answers with at least this confidence are given.</param>
/// <param name="Coverage">The share of questions answered.</param>
/// <param name="Risk">The error rate among the answered ones.</param>
public readonly record struct RiskCoveragePoint(double Threshold, double Coverage, double Risk);
