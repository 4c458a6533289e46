using TransformersBook.Display;
using TransformersBook.Runtime;

namespace TransformersBook.Checks;

/// <summary>
/// A chapter's claims, asserted with thresholds that depend on the profile: a passing claim returns a row that the
/// cell displays, a failing one throws <see cref="ClaimFailedException"/> with the values and the profile, so a
/// headless run of the chapter fails when a claim stops holding. Every result is also collected in <see cref="Claims"/>.
/// </summary>
public static class Claim
{
    /// <summary>Claims <paramref name="actual"/> satisfies <paramref name="expectation"/>.</summary>
    public static ClaimResult That(string name, double actual, Expectation expectation, string? detail = null) =>
        Record(new ClaimResult(name, expectation.IsMetBy(actual), NumberText.Format(actual), expectation.Description, ProfileName(), detail));

    /// <summary>Claims actual ≥ the bound of the current profile (<paramref name="smoke"/>, <paramref name="default"/>, or <paramref name="gpu"/> on CUDA).</summary>
    public static ClaimResult AtLeast(string name, double actual, double smoke, double @default, double? gpu = null, string? detail = null) =>
        That(name, actual, Is.AtLeast(smoke, @default, gpu), detail);

    /// <summary>Claims actual ≤ the bound of the current profile.</summary>
    public static ClaimResult AtMost(string name, double actual, double smoke, double @default, double? gpu = null, string? detail = null) =>
        That(name, actual, Is.AtMost(smoke, @default, gpu), detail);

    /// <summary>Claims a condition; <paramref name="detail"/> should carry the numbers behind it.</summary>
    public static ClaimResult True(string name, bool condition, string? detail = null) =>
        Record(new ClaimResult(name, condition, condition ? "true" : "false", "(must be true)", ProfileName(), detail));

    static string ProfileName() => BookProfile.Current.ToString();

    static ClaimResult Record(ClaimResult result)
    {
        Claims.Add(result);
        if (!result.Passed) throw new ClaimFailedException(result);
        return result;
    }
}
