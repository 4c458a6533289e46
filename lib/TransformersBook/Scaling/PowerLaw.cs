namespace TransformersBook.Scaling;

/// <summary>
/// A saturating power law in one variable, L(x) = E + A / x^α: the loss against compute alone (Kaplan et al., 2020,
/// L(C)), or against parameters alone. A scaling sweep's simplest baseline for the two-variable law.
/// </summary>
/// <param name="E">The loss it tends to as x grows.</param>
/// <param name="A">The scale of the power-law term.</param>
/// <param name="Alpha">The exponent.</param>
public sealed record PowerLaw(double E, double A, double Alpha)
{
    /// <summary>L(x).</summary>
    public double Loss(double x) => E + A / Math.Pow(x, Alpha);

    /// <inheritdoc/>
    public override string ToString() => $"L = {E:G4} + {A:G4}/x^{Alpha:F3}";
}
