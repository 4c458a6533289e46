using static TorchSharp.torch;

namespace TransformersBook.Adversarial;

/// <summary>
/// HotFlip as a greedy white-box attack on a batch (Ebrahimi et al., 2018, with a beam of one): one forward and backward
/// pass per step gives <see cref="HotFlip.FirstOrderChanges"/> for every flip; each sequence not yet misclassified takes
/// its best-estimated flip at a position not flipped before, until its true-class probability falls below the
/// threshold or the budget is spent.
/// </summary>
public static class HotFlipAttack
{
    /// <summary>Attacks a batch of sequences.</summary>
    /// <param name="tokens">(B, T) ids.</param>
    /// <param name="probe">
    /// For (B, T) ids: the true-class probability of each sequence, (B), and the gradient of the loss −log p(true class)
    /// with respect to the input token vectors, (B, T, d).
    /// </param>
    /// <param name="embeddings">The embedding matrix, (V, d).</param>
    /// <param name="flippable">(B, T) booleans: positions the attack may change.</param>
    /// <param name="allowedTokens">(V) booleans: ids a position may become.</param>
    /// <param name="budget">The most flips per sequence.</param>
    /// <param name="threshold">Success is a probability below this.</param>
    public static TokenAttackResult[] Run(
        Tensor tokens, Func<Tensor, (Tensor Probabilities, Tensor Gradient)> probe, Tensor embeddings, Tensor flippable,
        Tensor allowedTokens, int budget, double threshold = 0.5)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentOutOfRangeException.ThrowIfNegative(budget);
        int batch = (int)tokens.shape[0], length = (int)tokens.shape[1];
        var original = tokens.cpu().to_type(ScalarType.Int64).data<long>().ToArray();
        var current = (long[])original.Clone();
        var open = flippable.cpu().to_type(ScalarType.Bool).data<bool>().ToArray();
        var device = embeddings.device;
        var flips = Enumerable.Range(0, batch).Select(_ => new List<TokenFlip>()).ToArray();
        var probabilities = Enumerable.Range(0, batch).Select(_ => new List<double>()).ToArray();
        var done = new bool[batch];
        for (int step = 0; ; step++)
        {
            using var scope = NewDisposeScope();
            var currentTensor = tensor(current, new long[] { batch, length }, device: device);
            var (p, gradient) = probe(currentTensor);
            var pValues = p.detach().cpu().to_type(ScalarType.Float64).data<double>().ToArray();
            for (int b = 0; b < batch; b++)
            {
                if (done[b]) continue;
                probabilities[b].Add(pValues[b]);
                if (pValues[b] < threshold || step == budget) done[b] = true;
            }
            if (done.All(d => d)) break;
            Tensor changes;
            using (no_grad()) changes = HotFlip.FirstOrderChanges(gradient.detach(), embeddings.detach(), currentTensor);
            var (positions, newTokens, estimates) = HotFlip.BestFlips(changes, currentTensor,
                tensor(open, new long[] { batch, length }, device: device), allowedTokens.to(device));
            for (int b = 0; b < batch; b++)
            {
                if (done[b] || double.IsNegativeInfinity(estimates[b])) { done[b] = true; continue; }
                int at = b * length + (int)positions[b];
                flips[b].Add(new TokenFlip((int)positions[b], current[at], newTokens[b], estimates[b]));
                current[at] = newTokens[b];
                open[at] = false;
            }
        }
        return Enumerable.Range(0, batch).Select(b => new TokenAttackResult(
            original[(b * length)..((b + 1) * length)], current[(b * length)..((b + 1) * length)], flips[b], probabilities[b],
            probabilities[b][^1] < threshold)).ToArray();
    }
}
