using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// GPT-2's initialisation (Radford et al., 2019): every matrix N(0, 0.02), every bias 0, and the projections that write
/// into the residual stream N(0, 0.02/√(2·layers)), because each of the 2·layers sublayers adds to the same stream
/// and the sum's variance would otherwise grow with depth.
/// </summary>
public static class Gpt2Initialization
{
    /// <summary>The standard deviation of a residual projection in a model of <paramref name="layers"/> blocks.</summary>
    public static double ResidualStd(int layers) => 0.02 / Math.Sqrt(2.0 * layers);

    /// <summary>Initialises <paramref name="model"/>'s parameters in place.</summary>
    /// <param name="model">The whole model; its parameters are visited in registration order, so a seed gives the same weights every time.</param>
    /// <param name="layers">The number of blocks.</param>
    /// <param name="residualProjections">The linear layers whose outputs are added to the residual stream.</param>
    public static void Apply(nn.Module model, int layers, IEnumerable<Linear> residualProjections)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name.EndsWith("bias", StringComparison.Ordinal)) nn.init.zeros_(parameter);
            else if (parameter.dim() >= 2) nn.init.normal_(parameter, 0.0, 0.02);
        }
        double residualStd = ResidualStd(layers);
        foreach (var projection in residualProjections) nn.init.normal_(projection.weight!, 0.0, residualStd);
    }
}
