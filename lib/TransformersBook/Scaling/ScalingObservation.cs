namespace TransformersBook.Scaling;

/// <summary>One run of a scaling sweep: a model of N parameters trained on D tokens reached loss L.</summary>
/// <param name="Parameters">N, the non-embedding parameters.</param>
/// <param name="Tokens">D, the training tokens seen.</param>
/// <param name="Loss">L, the held-out loss in nats per token.</param>
public sealed record ScalingObservation(double Parameters, double Tokens, double Loss)
{
    /// <summary>C ≈ 6ND, the training FLOPs (<see cref="Models.TrainingFlops"/>).</summary>
    public double Flops => 6 * Parameters * Tokens;
}
