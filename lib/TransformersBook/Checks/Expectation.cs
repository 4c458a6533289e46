namespace TransformersBook.Checks;

/// <summary>What a claimed value must satisfy, with its description for messages ("≥ 0.9").</summary>
/// <param name="Description">The condition in words, e.g. "> 0.85" or "within 1e-05 of 0.5".</param>
/// <param name="Test">The condition.</param>
public sealed record Expectation(string Description, Func<double, bool> Test)
{
    /// <summary>False for <see cref="NotChecked"/>: the profile is too small to test the claim.</summary>
    public bool IsChecked { get; private init; } = true;

    /// <summary>No condition in this profile: the claim is reported as not checked, never as holding.</summary>
    public static Expectation NotChecked { get; } = new("not checked in this profile", _ => false) { IsChecked = false };

    public bool IsMetBy(double value) => IsChecked && !double.IsNaN(value) && Test(value);

    public override string ToString() => Description;
}
