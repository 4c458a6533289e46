namespace TransformersBook.Evaluation;

/// <summary>Precision, recall and F1 of one ROUGE variant.</summary>
/// <param name="Precision">Overlap ÷ prediction units.</param>
/// <param name="Recall">Overlap ÷ target units.</param>
/// <param name="F1">2PR / (P + R), 0 when both are 0.</param>
public sealed record RougeScore(double Precision, double Recall, double F1)
{
    /// <summary>The score for an overlap of <paramref name="overlap"/> units out of the prediction's and the target's.</summary>
    public static RougeScore FromCounts(int overlap, int predictionUnits, int targetUnits)
    {
        double precision = (double)overlap / Math.Max(predictionUnits, 1);
        double recall = (double)overlap / Math.Max(targetUnits, 1);
        return new RougeScore(precision, recall, precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0);
    }
}
