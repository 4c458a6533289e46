using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Blocks;

/// <summary>
/// The residual connection around one sublayer, in the two orders the book compares: post-norm, LN(x + f(x)) as in
/// Vaswani et al. (2017), or pre-norm, x + f(LN(x)) (Xiong et al., 2020). Shared by the encoder and decoder layers so
/// the order is written once.
/// </summary>
public static class ResidualSublayer
{
    /// <param name="x">The residual stream.</param>
    /// <param name="norm">The sublayer's LayerNorm.</param>
    /// <param name="preNorm">Normalise the sublayer's input (true) or the residual sum (false).</param>
    /// <param name="sublayer">Attention or feed-forward, applied to its (possibly normalised) input.</param>
    /// <param name="dropout">Dropout on the sublayer's output before the sum, or null for none.</param>
    public static Tensor Apply(Tensor x, LayerNorm norm, bool preNorm, Func<Tensor, Tensor> sublayer, Dropout? dropout = null)
    {
        Tensor Drop(Tensor t) => dropout is null ? t : dropout.forward(t);
        return preNorm ? x + Drop(sublayer(norm.forward(x))) : norm.forward(x + Drop(sublayer(x)));
    }
}
