namespace TransformersBook.Adversarial;

/// <summary>The outcome of an attack on one text.</summary>
/// <param name="Original">The text attacked.</param>
/// <param name="Adversarial">The text after the edits.</param>
/// <param name="Edits">The edits applied, in order.</param>
/// <param name="Probabilities">The probability of the true class before any edit and after each edit.</param>
/// <param name="Succeeded">Whether the probability fell below the threshold within the budget.</param>
/// <param name="Queries">How many texts the attack asked the model to score.</param>
public sealed record TextAttackResult(
    string Original, string Adversarial, IReadOnlyList<TextEdit> Edits, IReadOnlyList<double> Probabilities, bool Succeeded, int Queries)
{
    /// <summary>The number of edits after which the attack succeeded, or null when it did not.</summary>
    public int? EditsToSucceed => Succeeded ? Edits.Count : null;
}
