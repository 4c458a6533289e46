using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Adaptation;

/// <summary>
/// Prompt tuning (Lester et al., 2021): P trainable vectors of the model width placed before the embedded input, the
/// only parameters trained. They are free vectors, not tokens; Lester et al. start them from the embeddings of
/// vocabulary tokens, which <see cref="InitializeFrom"/> does.
/// </summary>
public sealed class SoftPrompt : nn.Module<Tensor, Tensor>
{
    readonly Parameter vectors;

    /// <param name="length">P, the number of prompt vectors.</param>
    /// <param name="width">d, the model width.</param>
    public SoftPrompt(int length, int width) : base(nameof(SoftPrompt))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        vectors = nn.Parameter(randn(length, width) * 0.02);
        RegisterComponents();
    }

    /// <summary>P.</summary>
    public long Length => vectors.shape[0];

    /// <summary>The (P, d) prompt vectors.</summary>
    public Parameter Vectors => vectors;

    /// <summary>Sets the prompt to the given rows, e.g. token embeddings of randomly chosen vocabulary entries.</summary>
    /// <param name="rows">(P, d)</param>
    public void InitializeFrom(Tensor rows)
    {
        using var noGrad = no_grad();
        vectors.copy_(rows);
    }

    /// <summary>Puts the prompt in front of every sequence of a batch.</summary>
    /// <param name="embedded">(batch, time, d)</param>
    /// <returns>(batch, P + time, d)</returns>
    public override Tensor forward(Tensor embedded)
    {
        using var scope = NewDisposeScope();
        var prompt = vectors.unsqueeze(0).expand(embedded.shape[0], -1, -1);
        return cat(new[] { prompt, embedded }, dim: 1).MoveToOuterDisposeScope();
    }
}
