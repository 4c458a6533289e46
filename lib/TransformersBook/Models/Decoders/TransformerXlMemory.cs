using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// What a Transformer-XL carries from one segment to the next, per layer: the memory (the layer's inputs for the
/// last M positions) and, for a Compressive Transformer, the compressed memory. Detached: no gradient flows into earlier
/// segments. The owner disposes it when it is replaced.
/// </summary>
public sealed class TransformerXlMemory : IDisposable
{
    internal TransformerXlMemory(IReadOnlyList<Tensor> states, IReadOnlyList<Tensor> compressed)
    {
        States = states;
        Compressed = compressed;
    }

    /// <summary>Per layer, (batch, ≤ M, width), oldest first.</summary>
    public IReadOnlyList<Tensor> States { get; }

    /// <summary>Per layer, (batch, ≤ compressed length, width), oldest first; empty tensors without compression.</summary>
    public IReadOnlyList<Tensor> Compressed { get; }

    /// <summary>How many positions the memory of layer 0 holds (uncompressed, compressed).</summary>
    public (long States, long Compressed) Length => (States[0].shape[1], Compressed[0].shape[1]);

    public void Dispose()
    {
        foreach (var t in States.Concat(Compressed)) t.Dispose();
    }
}
