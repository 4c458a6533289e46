using static TorchSharp.torch;

namespace TransformersBook.Interpretability;

/// <summary>What a forward pass of <see cref="AttentionOnlyTransformer"/> exposes for inspection.</summary>
/// <param name="Logits">(batch, time, vocabulary) next-token logits.</param>
/// <param name="Patterns">Per layer, (batch, heads, time, time) attention weights: row i is query i, column j key j.</param>
/// <param name="HeadOutputs">Per layer, (batch, heads, time, width) each head's term in the residual stream (after edits).</param>
/// <param name="Residuals">Layers + 1 tensors (batch, time, width): the residual stream before each layer, then the final one.</param>
public sealed record AttentionOnlyOutput(Tensor Logits, IReadOnlyList<Tensor> Patterns, IReadOnlyList<Tensor> HeadOutputs, IReadOnlyList<Tensor> Residuals);
