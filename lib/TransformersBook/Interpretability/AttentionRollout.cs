using static TorchSharp.torch;

namespace TransformersBook.Interpretability;

/// <summary>
/// Attention rollout (Abnar &amp; Zuidema, 2020): an estimate of how much each input position flows into each output
/// position through all layers. Each layer's attention, averaged over heads, is mixed with the identity for the
/// residual connection, Â = 0.5·A + 0.5·I, its rows are renormalised to sum to 1, and the layers are multiplied,
/// R = Â_L ⋯ Â_2 Â_1. Row i of R distributes position i's final state over the inputs.
/// </summary>
public static class AttentionRollout
{
    /// <summary>The rollout matrix.</summary>
    /// <param name="patterns">Per layer, from the first: (heads, time, time) or (batch, heads, time, time) attention weights.</param>
    /// <returns>(time, time) or (batch, time, time).</returns>
    public static Tensor Compute(IReadOnlyList<Tensor> patterns)
    {
        if (patterns.Count == 0) throw new ArgumentException("rollout needs at least one layer.", nameof(patterns));
        using var scope = NewDisposeScope();
        Tensor? rollout = null;
        foreach (var pattern in patterns)
        {
            var averaged = pattern.mean(new long[] { -3 });                                    // over heads
            long time = averaged.shape[^1];
            var mixed = 0.5 * averaged + 0.5 * eye(time, dtype: averaged.dtype, device: averaged.device);
            mixed = mixed / mixed.sum(dim: -1, keepdim: true);
            rollout = rollout is null ? mixed : mixed.matmul(rollout);
        }
        return rollout!.MoveToOuterDisposeScope();
    }
}
