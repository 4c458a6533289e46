namespace TransformersBook.Evaluation;

/// <summary>A corpus BLEU score with the statistics it came from.</summary>
/// <param name="Score">BLEU on the 0–100 scale.</param>
/// <param name="Matches">Clipped n-gram matches for n = 1..N, summed over the corpus.</param>
/// <param name="Totals">Hypothesis n-grams for n = 1..N, summed over the corpus.</param>
/// <param name="Precisions">The (smoothed) n-gram precisions in percent.</param>
/// <param name="BrevityPenalty">exp(1 − r/c) when the hypothesis length c is below the reference length r, else 1.</param>
/// <param name="HypothesisLength">c: hypothesis tokens in the corpus.</param>
/// <param name="ReferenceLength">r: for each segment the reference length closest to the hypothesis's, summed.</param>
public sealed record BleuScore(double Score, int[] Matches, int[] Totals, double[] Precisions, double BrevityPenalty,
    int HypothesisLength, int ReferenceLength);
