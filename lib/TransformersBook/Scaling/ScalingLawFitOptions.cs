namespace TransformersBook.Scaling;

/// <summary>How <see cref="ScalingLawFit"/> minimises: a few iterations from every initialisation, then to convergence from the best few.</summary>
public sealed record ScalingLawFitOptions
{
    /// <summary>δ of the Huber loss on log-loss residuals (Hoffmann et al.: 10⁻³).</summary>
    public double Delta { get; init; } = HuberLoss.HoffmannDelta;

    /// <summary>Levenberg–Marquardt iterations from every point of the initialisation grid.</summary>
    public int GridIterations { get; init; } = 20;

    /// <summary>The most iterations from each of the best <see cref="Keep"/> grid results (for refits: those of the full fit).</summary>
    public int RefineIterations { get; init; } = 300;

    /// <summary>How many of the grid's best results are refined.</summary>
    public int Keep { get; init; } = 4;

    internal void Validate()
    {
        if (!(Delta > 0)) throw new ArgumentOutOfRangeException(nameof(Delta), Delta, "δ must be positive.");
        if (GridIterations < 1 || RefineIterations < 1 || Keep < 1) throw new ArgumentException("GridIterations, RefineIterations and Keep must be positive.");
    }
}
