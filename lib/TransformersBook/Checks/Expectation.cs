namespace TransformersBook.Checks;

/// <summary>What a claimed value must satisfy, with its description for messages ("≥ 0.9").</summary>
/// <param name="Description">The condition in words, e.g. "> 0.85" or "within 1e-05 of 0.5".</param>
/// <param name="Test">The condition.</param>
public sealed record Expectation(string Description, Func<double, bool> Test)
{
    public bool IsMetBy(double value) => !double.IsNaN(value) && Test(value);

    public override string ToString() => Description;
}
