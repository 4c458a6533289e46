namespace TransformersBook.Scaling;

/// <summary>
/// The parametric loss of Hoffmann et al. (2022, eq. 2): L(N, D) = E + A / N^α + B / D^β, with N the non-embedding
/// parameters and D the training tokens. E is the loss of a perfect model of the data (its entropy), the second term
/// what a finite model cannot represent, the third what a finite amount of data cannot teach.
/// </summary>
/// <param name="E">The irreducible loss.</param>
/// <param name="A">The scale of the parameter term.</param>
/// <param name="Alpha">α, the exponent of the parameter term.</param>
/// <param name="B">The scale of the data term.</param>
/// <param name="Beta">β, the exponent of the data term.</param>
public sealed record ChinchillaLaw(double E, double A, double Alpha, double B, double Beta)
{
    /// <summary>Hoffmann et al. (2022), approach 3: E = 1.69, A = 406.4, B = 410.7, α = 0.34, β = 0.28.</summary>
    public static ChinchillaLaw Hoffmann2022 { get; } = new(1.69, 406.4, 0.34, 410.7, 0.28);

    /// <summary>
    /// Besiroglu et al. (2024), the refit of Hoffmann's approach 3 on data read off its figure: E = 1.82, A = 482.01,
    /// B = 2085.43, α = 0.3478, β = 0.3658.
    /// </summary>
    public static ChinchillaLaw Besiroglu2024 { get; } = new(1.8172, 482.01, 0.3478, 2085.43, 0.3658);

    /// <summary>The law in Hoffmann's log parametrisation: A = e^a, B = e^b, E = e^e.</summary>
    public static ChinchillaLaw FromLogParameters(double a, double b, double e, double alpha, double beta) =>
        new(Math.Exp(e), Math.Exp(a), alpha, Math.Exp(b), beta);

    /// <summary>L(N, D).</summary>
    /// <param name="parameters">N.</param>
    /// <param name="tokens">D.</param>
    public double Loss(double parameters, double tokens) => E + A / Math.Pow(parameters, Alpha) + B / Math.Pow(tokens, Beta);

    /// <summary>L at a compute budget C when the model has N parameters: D = C / (6N) (<see cref="Models.TrainingFlops"/>).</summary>
    public double LossAtCompute(double flops, double parameters) => Loss(parameters, flops / (6 * parameters));

    /// <summary>The exponent of N_opt(C) ∝ C^a: a = β / (α + β).</summary>
    public double ParameterExponent => Beta / (Alpha + Beta);

    /// <summary>The exponent of D_opt(C) ∝ C^b: b = α / (α + β).</summary>
    public double TokenExponent => Alpha / (Alpha + Beta);

    /// <summary>G = (αA / (βB))^(1/(α+β)), so that N_opt = G (C/6)^a and D_opt = G⁻¹ (C/6)^b.</summary>
    public double G => Math.Pow(Alpha * A / (Beta * B), 1 / (Alpha + Beta));

    /// <summary>
    /// The N and D that minimise L(N, D) subject to 6ND = C (Hoffmann et al., 2022, eq. 4): setting the derivative of
    /// L(N, C/(6N)) to zero gives αA/N^α = βB/D^β, whose solution is N_opt = G (C/6)^a, D_opt = G⁻¹ (C/6)^b.
    /// </summary>
    /// <param name="flops">C, the training compute in FLOPs.</param>
    public (double Parameters, double Tokens) ComputeOptimal(double flops)
    {
        if (!(flops > 0)) throw new ArgumentOutOfRangeException(nameof(flops), flops, "Compute must be positive.");
        return (G * Math.Pow(flops / 6, ParameterExponent), Math.Pow(flops / 6, TokenExponent) / G);
    }

    /// <summary>D_opt / N_opt at compute C: G⁻² (C/6)^(b − a), a constant only when α = β.</summary>
    public double TokensPerParameter(double flops)
    {
        var (n, d) = ComputeOptimal(flops);
        return d / n;
    }

    /// <inheritdoc/>
    public override string ToString() => $"L = {E:G4} + {A:G4}/N^{Alpha:F3} + {B:G4}/D^{Beta:F3}";
}
