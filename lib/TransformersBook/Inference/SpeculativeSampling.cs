using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Inference;

/// <summary>
/// The verification step of speculative sampling (Leviathan et al., 2023; Chen et al., 2023). A draft model proposed
/// tokens x₁ … x_k, drawn from its distributions q₁ … q_k; the target model scored the same positions in one pass,
/// giving p₁ … p_{k+1}. Draft token i is accepted with probability min(1, pᵢ(xᵢ)/qᵢ(xᵢ)), in order, until the first
/// rejection; at a rejection the next token is drawn from the residual norm(max(0, pᵢ − qᵢ)), and if all k are
/// accepted a bonus token is drawn from p_{k+1}. Every token produced this way has exactly the target's distribution.
/// </summary>
public static class SpeculativeSampling
{
    /// <summary>norm(max(0, p − q)) along the last dimension; where p ≤ q everywhere (p = q) it is p itself.</summary>
    /// <param name="p">Target probabilities (…, vocabulary).</param>
    /// <param name="q">Draft probabilities, the same shape.</param>
    public static Tensor Residual(Tensor p, Tensor q)
    {
        using var scope = NewDisposeScope();
        var excess = (p - q).clamp_min(0);
        var mass = excess.sum(-1, keepdim: true);
        return where(mass > 0, excess / mass.clamp_min(1e-30), p).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Accepts or rejects each row's draft tokens and draws the token that follows the accepted ones.
    /// </summary>
    /// <param name="targetProbabilities">(batch, k + 1, vocabulary): p at each draft position and one beyond.</param>
    /// <param name="draftProbabilities">(batch, k, vocabulary): q at each draft position.</param>
    /// <param name="draftTokens">(batch, k) the tokens the draft drew from q.</param>
    /// <param name="generator">The random stream for the acceptance draws and the corrected token.</param>
    /// <returns>Accepted: (batch) how many draft tokens each row keeps (0 … k); Next: (batch) the token after them.</returns>
    public static (Tensor Accepted, Tensor Next) Verify(Tensor targetProbabilities, Tensor draftProbabilities, Tensor draftTokens, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        long batch = draftTokens.shape[0], k = draftTokens.shape[1], vocabulary = targetProbabilities.shape[2];
        var index = draftTokens.unsqueeze(2);
        var p = targetProbabilities.narrow(1, 0, k).gather(2, index).squeeze(2);           // pᵢ(xᵢ)
        var q = draftProbabilities.gather(2, index).squeeze(2);                             // qᵢ(xᵢ) > 0: xᵢ was drawn from qᵢ
        var u = rand(new[] { batch, k }, generator: generator, device: p.device, dtype: p.dtype);
        var accept = (u * q < p).to(ScalarType.Int64);                                      // u < min(1, p/q)
        var accepted = accept.cumprod(1).sum(1);                                            // the run before the first rejection
        // The distribution of the next token: residual at the first rejected position, p_{k+1} when none was rejected
        // (a zero row of q appended at position k makes the residual there p itself).
        var paddedDraft = cat(new[] { draftProbabilities, zeros(batch, 1, vocabulary, device: p.device, dtype: draftProbabilities.dtype) }, dim: 1);
        var at = accepted.view(batch, 1, 1).expand(batch, 1, vocabulary);
        var distribution = Residual(targetProbabilities.gather(1, at).squeeze(1), paddedDraft.gather(1, at).squeeze(1));
        var next = multinomial(distribution, 1, generator: generator).squeeze(1);
        return (accepted.MoveToOuterDisposeScope(), next.MoveToOuterDisposeScope());
    }
}
