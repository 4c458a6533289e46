using TransformersBook.Scaling;

namespace TransformersBook.Tests;

/// <summary>
/// The scaling-law fit: the Huber loss by hand, the compute-optimal allocation against a numerical minimum, and the fitter
/// recovering the parameters of exact synthetic data drawn from the law itself.
/// </summary>
[Collection(ProcessState.Name)]
public class ScalingLawFitTests
{
    public ScalingLawFitTests() => TestSetup.Initialize();

    [Fact]
    public void Huber_loss_is_quadratic_inside_delta_and_linear_outside()
    {
        // δ = 1: r = 0.5 → ½·0.25 = 0.125; r = −3 → 1·(3 − 0.5) = 2.5; r = 1 (the joint) → 0.5 both ways.
        Assert.Equal(0.125, HuberLoss.Value(0.5, 1), 12);
        Assert.Equal(2.5, HuberLoss.Value(-3, 1), 12);
        Assert.Equal(0.5, HuberLoss.Value(1, 1), 12);
        // Hoffmann's δ = 10⁻³: r = 0.01 → 10⁻³·(0.01 − 0.0005) = 9.5·10⁻⁶; r = 5·10⁻⁴ → 1.25·10⁻⁷.
        Assert.Equal(9.5e-6, HuberLoss.Value(0.01), 15);
        Assert.Equal(1.25e-7, HuberLoss.Value(5e-4), 15);
        using var r = TorchSharp.torch.tensor(new[] { 0.5, -3.0, 1.0 });
        Assert.Equal(new[] { 0.125, 2.5, 0.5 }, HuberLoss.Elementwise(r, 1).data<double>().ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => HuberLoss.Value(1, 0));
    }

    [Theory]
    [InlineData(1e18)]
    [InlineData(5.76e23)]
    public void Compute_optimal_allocation_is_the_numerical_minimum_on_the_isoflop_curve(double flops)
    {
        var law = ChinchillaLaw.Hoffmann2022;
        // Golden-section search for the N that minimises L(N, C/(6N)) on log N.
        double lo = Math.Log(1e3), hi = Math.Log(flops / 6 / 10), phi = (Math.Sqrt(5) - 1) / 2;
        for (int i = 0; i < 200; i++)
        {
            double m1 = hi - phi * (hi - lo), m2 = lo + phi * (hi - lo);
            if (law.LossAtCompute(flops, Math.Exp(m1)) < law.LossAtCompute(flops, Math.Exp(m2))) hi = m2; else lo = m1;
        }
        double numerical = Math.Exp((lo + hi) / 2);
        var (n, d) = law.ComputeOptimal(flops);
        Assert.Equal(1.0, numerical / n, 6);
        Assert.Equal(flops, 6 * n * d, flops * 1e-12);
        // The closed form G (C/6)^a with a = β/(α+β).
        double g = Math.Pow(0.34 * 406.4 / (0.28 * 410.7), 1 / 0.62);
        Assert.Equal(g * Math.Pow(flops / 6, 0.28 / 0.62), n, n * 1e-12);
    }

    [Fact]
    public void At_chinchillas_compute_the_refit_allocates_about_twenty_tokens_per_parameter()
    {
        // Chinchilla: 70 B parameters, 1.4 T tokens, C = 6·70e9·1.4e12 ≈ 5.9e23, 20 tokens per parameter. By hand, for
        // Besiroglu et al.'s law: G = (0.3478·482.01 / (0.3658·2085.43))^(1/0.7136) ≈ 0.1196, a ≈ 0.5126, so
        // N_opt ≈ 7.3e10, D_opt ≈ 1.34e12, ≈ 18 tokens per parameter. Hoffmann et al.'s published approach-3 law
        // (rounded coefficients) gives G ≈ 1.345, N_opt ≈ 3.3e10, D_opt ≈ 3.0e12: ≈ 93, the inconsistency Besiroglu et al. point out.
        double c = 6 * 70e9 * 1.4e12;
        Assert.InRange(ChinchillaLaw.Besiroglu2024.TokensPerParameter(c), 17, 20);
        Assert.InRange(ChinchillaLaw.Hoffmann2022.TokensPerParameter(c), 85, 100);
    }

    [Fact]
    public void The_fit_recovers_the_parameters_of_exact_synthetic_data()
    {
        var truth = new ChinchillaLaw(1.2, 30, 0.4, 60, 0.3);
        var points = (from n in new[] { 1e3, 3e3, 1e4, 3e4, 1e5 }
                      from d in new[] { 1e5, 3e5, 1e6, 3e6 }
                      select new ScalingObservation(n, d, truth.Loss(n, d))).ToList();
        var fit = ScalingLawFit.Fit(points);
        Assert.Equal(truth.Alpha, fit.Alpha, 4);
        Assert.Equal(truth.Beta, fit.Beta, 4);
        Assert.Equal(truth.E, fit.E, 4);
        Assert.Equal(1.0, fit.A / truth.A, 3);
        Assert.Equal(1.0, fit.B / truth.B, 3);
        Assert.True(ScalingLawFit.Objective(fit, points) < 1e-12, $"objective {ScalingLawFit.Objective(fit, points)}");
    }

    [Fact]
    public void The_closed_form_gradient_matches_finite_differences()
    {
        var law = new ChinchillaLaw(1.3, 20, 0.45, 80, 0.35);
        var truth = new ChinchillaLaw(1.2, 30, 0.4, 60, 0.3);
        var points = new[] { (1e3, 1e5), (1e4, 3e5), (3e4, 1e6), (1e5, 3e6) }
            .Select(p => new ScalingObservation(p.Item1, p.Item2, truth.Loss(p.Item1, p.Item2))).ToList();
        var gradient = ScalingLawFit.ObjectiveGradient(law, points, delta: 0.05);
        double[] theta = { Math.Log(law.E), Math.Log(law.A), Math.Log(law.B), law.Alpha, law.Beta };
        double At(double[] t) => ScalingLawFit.Objective(ChinchillaLaw.FromLogParameters(t[1], t[2], t[0], t[3], t[4]), points, 0.05);
        for (int j = 0; j < 5; j++)
        {
            var up = (double[])theta.Clone(); up[j] += 1e-6;
            var down = (double[])theta.Clone(); down[j] -= 1e-6;
            Assert.Equal((At(up) - At(down)) / 2e-6, gradient[j], 6);
        }
    }

    [Fact]
    public void A_single_power_law_is_recovered_and_bootstrap_weights_count_every_draw()
    {
        var truth = new PowerLaw(1.5, 40, 0.5);
        var x = new[] { 1e2, 1e3, 1e4, 1e5, 1e6, 1e7 };
        var fit = ScalingLawFit.FitPowerLaw(x, x.Select(truth.Loss).ToArray());
        Assert.Equal(truth.Alpha, fit.Alpha, 4);
        Assert.Equal(truth.E, fit.E, 4);
        var weights = ScalingLawFit.BootstrapWeights(7, 5, seed: 3);
        Assert.Equal(5, weights.Length);
        Assert.All(weights, w => Assert.Equal(7.0, w.Sum()));
    }
}
