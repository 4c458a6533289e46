namespace TransformersBook.Distributed;

/// <summary>ZeRO's stages (Rajbhandari et al., 2020): what each data-parallel device stops holding in full.</summary>
public enum ZeroStage
{
    /// <summary>Plain data parallelism: every device holds everything.</summary>
    None = 0,

    /// <summary>P_os: optimizer states partitioned.</summary>
    OptimizerStates = 1,

    /// <summary>P_os+g: optimizer states and gradients partitioned.</summary>
    Gradients = 2,

    /// <summary>P_os+g+p: parameters partitioned too.</summary>
    Parameters = 3,
}

/// <summary>
/// ZeRO's memory arithmetic for mixed-precision Adam: Ψ parameters cost 2Ψ bytes of fp16 parameters, 2Ψ of fp16
/// gradients and KΨ of optimizer state (K = 12: fp32 master parameters, momentum and variance). Each stage divides one
/// more of the three terms by the N_d data-parallel devices. Activations and buffers are not counted.
/// </summary>
public static class ZeroMemory
{
    /// <summary>Adam's optimizer state in mixed precision, bytes per parameter.</summary>
    public const double AdamMixedPrecisionK = 12;

    /// <summary>Bytes of model state per device.</summary>
    /// <param name="parameters">Ψ, the number of parameters.</param>
    /// <param name="devices">N_d, the data-parallel degree.</param>
    /// <param name="stage">The ZeRO stage.</param>
    /// <param name="k">K, optimizer bytes per parameter.</param>
    public static double BytesPerDevice(double parameters, int devices, ZeroStage stage, double k = AdamMixedPrecisionK)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(devices, 1);
        double weights = 2 * parameters, gradients = 2 * parameters, optimizer = k * parameters;
        return stage switch
        {
            ZeroStage.None => weights + gradients + optimizer,
            ZeroStage.OptimizerStates => weights + gradients + optimizer / devices,
            ZeroStage.Gradients => weights + (gradients + optimizer) / devices,
            ZeroStage.Parameters => (weights + gradients + optimizer) / devices,
            _ => throw new ArgumentOutOfRangeException(nameof(stage)),
        };
    }

    /// <summary>
    /// Elements each device sends per step, in units of Ψ, as the paper counts them: 2Ψ for plain data parallelism
    /// and stages 1 and 2 (a reduce-scatter and an all-gather), 3Ψ for stage 3 (the parameters are gathered twice,
    /// for the forward and the backward pass).
    /// </summary>
    public static double CommunicationInUnitsOfParameters(ZeroStage stage) => stage == ZeroStage.Parameters ? 3 : 2;
}
