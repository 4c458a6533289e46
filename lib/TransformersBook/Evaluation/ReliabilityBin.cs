namespace TransformersBook.Evaluation;

/// <summary>One bin of a reliability diagram: the predictions whose confidence fell in (Lower, Upper].</summary>
/// <param name="Lower">The bin's lower edge (exclusive, except 0 for the first bin).</param>
/// <param name="Upper">The bin's upper edge (inclusive).</param>
/// <param name="Count">Predictions in the bin.</param>
/// <param name="Accuracy">Their fraction correct (0 when empty).</param>
/// <param name="Confidence">Their mean confidence (0 when empty).</param>
public sealed record ReliabilityBin(double Lower, double Upper, int Count, double Accuracy, double Confidence);
