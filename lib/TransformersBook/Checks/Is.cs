using TransformersBook.Display;
using TransformersBook.Runtime;

namespace TransformersBook.Checks;

/// <summary>
/// Expectations for <see cref="Claim.That"/>: <c>Claim.That("RoPE extrapolates", ropeAccuracy, Is.GreaterThan(learnedAccuracy))</c>.
/// The overloads with <c>smoke</c> and <c>default</c> pick their bound by the current profile, because a smoke run
/// trains for seconds and can only be held to a weaker bar.
/// </summary>
public static class Is
{
    public static Expectation GreaterThan(double bound) => new($"> {NumberText.Format(bound)}", v => v > bound);

    public static Expectation AtLeast(double bound) => new($"≥ {NumberText.Format(bound)}", v => v >= bound);

    public static Expectation LessThan(double bound) => new($"< {NumberText.Format(bound)}", v => v < bound);

    public static Expectation AtMost(double bound) => new($"≤ {NumberText.Format(bound)}", v => v <= bound);

    /// <summary>lower ≤ value ≤ upper.</summary>
    public static Expectation Between(double lower, double upper) =>
        new($"in [{NumberText.Format(lower)}, {NumberText.Format(upper)}]", v => v >= lower && v <= upper);

    /// <summary>|value − expected| ≤ tolerance (agreement of a from-scratch version with the library's).</summary>
    public static Expectation CloseTo(double expected, double tolerance) =>
        new($"within {NumberText.Format(tolerance)} of {NumberText.Format(expected)}", v => Math.Abs(v - expected) <= tolerance);

    /// <summary>&gt; the bound of the current profile.</summary>
    public static Expectation GreaterThan(double smoke, double @default, double? gpu = null) => GreaterThan(Bound(smoke, @default, gpu));

    /// <summary>≥ the bound of the current profile.</summary>
    public static Expectation AtLeast(double smoke, double @default, double? gpu = null) => AtLeast(Bound(smoke, @default, gpu));

    /// <summary>&lt; the bound of the current profile.</summary>
    public static Expectation LessThan(double smoke, double @default, double? gpu = null) => LessThan(Bound(smoke, @default, gpu));

    /// <summary>≤ the bound of the current profile.</summary>
    public static Expectation AtMost(double smoke, double @default, double? gpu = null) => AtMost(Bound(smoke, @default, gpu));

    static double Bound(double smoke, double @default, double? gpu) =>
        gpu is { } g ? BookProfile.Current.Pick(smoke, @default, g) : BookProfile.Current.Pick(smoke, @default);
}
