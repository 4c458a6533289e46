using static TorchSharp.torch;

namespace TransformersBook.Interpretability;

/// <summary>
/// A change to one head's output during a forward pass of <see cref="AttentionOnlyTransformer"/>: zero-ablation (the
/// head writes nothing into the residual stream) or activation patching (the head writes what it wrote in another run,
/// e.g. a clean run patched into a corrupted one). The head's output is its term in the residual stream,
/// A_h V_h W_O,h, of shape (batch, time, width).
/// </summary>
/// <param name="Layer">The layer, from 0.</param>
/// <param name="Head">The head in that layer, from 0.</param>
/// <param name="Replacement">(batch, time, width) what the head writes instead; null writes zeros (ablation).</param>
public sealed record HeadEdit(int Layer, int Head, Tensor? Replacement = null)
{
    /// <summary>Zero-ablates the head: its output is replaced by zeros.</summary>
    public static HeadEdit Ablate(int layer, int head) => new(layer, head);

    /// <summary>Patches the head: its output is replaced by <paramref name="output"/> (from another run).</summary>
    public static HeadEdit Patch(int layer, int head, Tensor output) => new(layer, head, output);

    /// <summary>True for an ablation (no replacement given).</summary>
    public bool IsAblation => Replacement is null;
}
