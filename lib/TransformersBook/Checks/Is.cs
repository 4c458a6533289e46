using TransformersBook.Display;
using TransformersBook.Runtime;

namespace TransformersBook.Checks;

/// <summary>
/// Expectations for <see cref="Claim.That"/>: <c>Claim.That("RoPE extrapolates", ropeAccuracy, Is.GreaterThan(learnedAccuracy))</c>.
/// The overloads with <c>smoke</c> and <c>default</c> pick their bound by the current profile, because a smoke run
/// trains for seconds and can only be held to a weaker bar; a null bound (<see cref="Claim.NotChecked"/>) means the
/// profile is too small for the claim, which is then reported as not checked.
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

    /// <summary>&gt; the bound of the current profile (null: not checked in it).</summary>
    public static Expectation GreaterThan(double? smoke, double? @default, double? gpu = null) => ByProfile(smoke, @default, gpu, GreaterThan);

    /// <summary>≥ the bound of the current profile (null: not checked in it).</summary>
    public static Expectation AtLeast(double? smoke, double? @default, double? gpu = null) => ByProfile(smoke, @default, gpu, AtLeast);

    /// <summary>&lt; the bound of the current profile (null: not checked in it).</summary>
    public static Expectation LessThan(double? smoke, double? @default, double? gpu = null) => ByProfile(smoke, @default, gpu, LessThan);

    /// <summary>≤ the bound of the current profile (null: not checked in it).</summary>
    public static Expectation AtMost(double? smoke, double? @default, double? gpu = null) => ByProfile(smoke, @default, gpu, AtMost);

    /// <summary>The expectation the current profile picks, or <see cref="Expectation.NotChecked"/> where it picks none.</summary>
    public static Expectation ByProfile(Expectation? smoke, Expectation? @default, Expectation? gpu = null) =>
        (gpu is null ? BookProfile.Current.Pick(smoke, @default) : BookProfile.Current.Pick(smoke, @default, gpu)) ?? Expectation.NotChecked;

    static Expectation ByProfile(double? smoke, double? @default, double? gpu, Func<double, Expectation> make)
    {
        double? bound = gpu is null ? BookProfile.Current.Pick(smoke, @default) : BookProfile.Current.Pick(smoke, @default, gpu);
        return bound is double b ? make(b) : Expectation.NotChecked;
    }
}
