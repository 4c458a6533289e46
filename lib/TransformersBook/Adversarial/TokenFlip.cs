namespace TransformersBook.Adversarial;

/// <summary>One token replaced by another.</summary>
/// <param name="Position">The position in the id sequence.</param>
/// <param name="From">The id before.</param>
/// <param name="To">The id after.</param>
/// <param name="Estimate">HotFlip's first-order estimate of the loss change when the flip was chosen.</param>
public readonly record struct TokenFlip(int Position, long From, long To, double Estimate);
