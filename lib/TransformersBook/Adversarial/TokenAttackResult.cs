namespace TransformersBook.Adversarial;

/// <summary>The outcome of a token-flip attack on one sequence.</summary>
/// <param name="Original">The ids attacked.</param>
/// <param name="Adversarial">The ids after the flips.</param>
/// <param name="Flips">The flips, in order; each position is flipped at most once.</param>
/// <param name="Probabilities">The probability of the true class before any flip and after each flip.</param>
/// <param name="Succeeded">Whether the probability fell below the threshold within the budget.</param>
public sealed record TokenAttackResult(
    long[] Original, long[] Adversarial, IReadOnlyList<TokenFlip> Flips, IReadOnlyList<double> Probabilities, bool Succeeded)
{
    /// <summary>The number of flips after which the attack succeeded, or null when it did not.</summary>
    public int? EditsToSucceed => Succeeded ? Flips.Count : null;
}
