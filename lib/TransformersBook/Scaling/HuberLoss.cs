using static TorchSharp.torch;

namespace TransformersBook.Scaling;

/// <summary>
/// The Huber loss (Huber, 1964): ½r² for |r| ≤ δ, δ(|r| − δ/2) beyond. Quadratic near zero, linear in the tails, so a
/// few points far off the curve pull a fit with a bounded force. Hoffmann et al. (2022) fit scaling laws with δ = 10⁻³ on
/// residuals of log losses, which makes it nearly an absolute-error fit.
/// </summary>
public static class HuberLoss
{
    /// <summary>Hoffmann et al.'s δ for residuals of log losses.</summary>
    public const double HoffmannDelta = 1e-3;

    /// <summary>The loss of one residual <paramref name="residual"/>.</summary>
    public static double Value(double residual, double delta = HoffmannDelta)
    {
        RequirePositive(delta);
        double r = Math.Abs(residual);
        return r <= delta ? 0.5 * r * r : delta * (r - 0.5 * delta);
    }

    /// <summary>The loss of every element of <paramref name="residuals"/> (differentiable).</summary>
    public static Tensor Elementwise(Tensor residuals, double delta = HoffmannDelta)
    {
        RequirePositive(delta);
        var r = residuals.abs();
        return where(r <= delta, 0.5 * residuals * residuals, delta * (r - 0.5 * delta));
    }

    static void RequirePositive(double delta)
    {
        if (!(delta > 0)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "δ must be positive.");
    }
}
