using Book.Native;
using TransformersBook.Display;
using TransformersBook.Runtime;

namespace TransformersBook.Checks;

/// <summary>
/// A chapter's claims, asserted with thresholds that depend on the profile: a passing claim returns a row that the
/// cell displays, a failing one throws <see cref="ClaimFailedException"/> with the values and the profile, so a
/// headless run of the chapter fails when a claim stops holding. A threshold states the claim in every profile; where
/// a profile is too small to test it, pass <see cref="NotChecked"/> and the claim is shown as not checked there,
/// never as holding. Every result is also collected in <see cref="Claims"/>.
/// </summary>
public static class Claim
{
    /// <summary>A bound that means "this profile is too small to check the claim": <c>smoke: Claim.NotChecked</c>.</summary>
    public static readonly double? NotChecked = null;

    /// <summary>Claims <paramref name="actual"/> satisfies <paramref name="expectation"/>.</summary>
    public static ClaimResult That(string name, double actual, Expectation expectation, string? detail = null)
    {
        bool mutated = IsMutated(name);
        if (mutated) actual = -actual;
        if (!expectation.IsChecked) return NotCheckedResult(name, NumberText.Format(actual), detail);
        return Record(new ClaimResult(name, expectation.IsMetBy(actual) ? ClaimStatus.Holds : ClaimStatus.Fails, NumberText.Format(actual),
            expectation.Description, ProfileName(), Mutated(detail, mutated)));
    }

    /// <summary>Claims actual ≥ the bound of the current profile (<paramref name="smoke"/>, <paramref name="default"/>, or <paramref name="gpu"/> on CUDA).</summary>
    public static ClaimResult AtLeast(string name, double actual, double? smoke, double? @default, double? gpu = null, string? detail = null) =>
        That(name, actual, Is.AtLeast(smoke, @default, gpu), detail);

    /// <summary>Claims actual ≤ the bound of the current profile.</summary>
    public static ClaimResult AtMost(string name, double actual, double? smoke, double? @default, double? gpu = null, string? detail = null) =>
        That(name, actual, Is.AtMost(smoke, @default, gpu), detail);

    /// <summary>
    /// "A beats B": claims <paramref name="margin"/> (A's advantage, in the direction where larger is better) exceeds a
    /// bound that is never negative, so the claim cannot pass when A loses. A bound of 0 asks only that A win.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A bound is negative: that would accept the opposite of the claim.</exception>
    public static ClaimResult Beats(string name, double margin, double? smoke, double? @default, double? gpu = null, string? detail = null)
    {
        RequireNonNegative(smoke, nameof(smoke));
        RequireNonNegative(@default, nameof(@default));
        RequireNonNegative(gpu, nameof(gpu));
        return That(name, margin, Is.GreaterThan(smoke, @default, gpu), detail);
    }

    /// <summary>Claims a score beats chance: score − chance exceeds a non-negative bound of the current profile.</summary>
    public static ClaimResult BeatsChance(string name, double score, double chance, double? smoke = 0, double? @default = 0, double? gpu = null) =>
        Beats(name, score - chance, smoke, @default, gpu, $"score {NumberText.Format(score)}, chance {NumberText.Format(chance)}");

    /// <summary>Claims a condition; <paramref name="detail"/> should carry the numbers behind it.</summary>
    public static ClaimResult True(string name, bool condition, string? detail = null)
    {
        bool mutated = IsMutated(name);
        if (mutated) condition = !condition;
        return Record(new ClaimResult(name, condition ? ClaimStatus.Holds : ClaimStatus.Fails, condition ? "true" : "false", "(must be true)",
            ProfileName(), Mutated(detail, mutated)));
    }

    /// <summary>Records a claim this profile cannot test (say why in <paramref name="detail"/>); shown as not checked.</summary>
    public static ClaimResult NotCheckedHere(string name, string? detail = null) => NotCheckedResult(name, "—", detail);

    static ClaimResult NotCheckedResult(string name, string actual, string? detail) =>
        Record(new ClaimResult(name, ClaimStatus.NotChecked, actual, Expectation.NotChecked.Description, ProfileName(), detail));

    static void RequireNonNegative(double? bound, string parameter)
    {
        if (bound is < 0)
            throw new ArgumentOutOfRangeException(parameter, bound,
                "A 'beats' claim needs a margin of at least 0 in every profile; a negative bound would pass when the claim is false. " +
                "Where a profile is too small to show it, pass Claim.NotChecked.");
    }

    static bool IsMutated(string name) =>
        Environment.GetEnvironmentVariable(BookEnvironment.MutateClaim) is { Length: > 0 } prefix && name.StartsWith(prefix, StringComparison.Ordinal);

    static string? Mutated(string? detail, bool mutated) =>
        mutated ? $"mutated by {BookEnvironment.MutateClaim}: measured value negated{(detail is null ? "" : "; " + detail)}" : detail;

    static string ProfileName() => BookProfile.Current.ToString();

    static ClaimResult Record(ClaimResult result)
    {
        Claims.Add(result);
        if (result.Failed) throw new ClaimFailedException(result);
        return result;
    }
}
