using static TorchSharp.torch;

namespace TransformersBook.Attention;

/// <summary>
/// FlashAttention's algorithm (Dao et al., 2022) written with TorchSharp ops: softmax(QKᵀ/√d)V computed block by block,
/// a block of queries against a block of keys at a time, with a running maximum m, normaliser l and output per query
/// row (online softmax, Milakov and Gimelshein, 2018). The largest intermediate is one (query block × key block) score
/// tile, never the n × n matrix. The backward pass stores only O and the log-sum-exp L = m + log l per row and
/// recomputes each probability tile from Q, K and L. Inputs are (…, n, d); all leading dimensions are batch and heads.
/// </summary>
public static class TiledAttention
{
    /// <summary>The forward pass: O = softmax(QKᵀ/√d + mask)V and L = log Σⱼ exp(sᵢⱼ) per row.</summary>
    /// <param name="query">Q, (…, n, d).</param>
    /// <param name="key">K, (…, n, d).</param>
    /// <param name="value">V, (…, n, d).</param>
    /// <param name="causal">Query i sees only keys j ≤ i.</param>
    /// <param name="queryBlock">Query rows per block, B_r.</param>
    /// <param name="keyBlock">Keys per block, B_c.</param>
    /// <returns>O (…, n, d) and the log-sum-exp L (…, n).</returns>
    public static (Tensor Output, Tensor LogSumExp) Forward(Tensor query, Tensor key, Tensor value, bool causal = false, int queryBlock = 64, int keyBlock = 64)
    {
        CheckBlocks(queryBlock, keyBlock);
        long n = query.shape[^2], d = query.shape[^1];
        double scale = 1.0 / Math.Sqrt(d);
        var output = zeros_like(query);
        var logSumExp = zeros(query.shape[..^1], dtype: query.dtype, device: query.device);
        for (long i0 = 0; i0 < n; i0 += queryBlock)
        {
            using var scope = NewDisposeScope();
            long rows = Math.Min(queryBlock, n - i0);
            var q = query.narrow(-2, i0, rows);
            var shape = query.shape[..^2].Append(rows).Append(1L).ToArray();
            var max = full(shape, double.NegativeInfinity, dtype: query.dtype, device: query.device);
            var sum = zeros(shape, dtype: query.dtype, device: query.device);
            var accumulated = zeros_like(q);
            long keysEnd = causal ? Math.Min(n, i0 + rows) : n;
            for (long j0 = 0; j0 < keysEnd; j0 += keyBlock)
            {
                long cols = Math.Min(keyBlock, keysEnd - j0);
                var scores = q.matmul(key.narrow(-2, j0, cols).transpose(-2, -1)) * scale;
                if (causal && j0 + cols - 1 > i0) scores = scores.masked_fill(CausalBlockMask(i0, rows, j0, cols, query.device), double.NegativeInfinity);
                var newMax = maximum(max, scores.amax(new long[] { -1 }, keepdim: true));
                var probabilities = (scores - newMax).exp();
                var rescale = (max - newMax).exp();              // exp(−∞ − finite) = 0 on the first block
                sum = rescale * sum + probabilities.sum(-1, keepdim: true);
                accumulated = rescale * accumulated + probabilities.matmul(value.narrow(-2, j0, cols));
                max = newMax;
            }
            output.narrow(-2, i0, rows).copy_(accumulated / sum);
            logSumExp.narrow(-1, i0, rows).copy_((max + sum.log()).squeeze(-1));
        }
        return (output, logSumExp);
    }

    /// <summary>
    /// The backward pass with recomputation: from Q, K, V, the forward's O and L, and the upstream gradient dO, the
    /// gradients dQ, dK, dV. Per tile, P = exp(S − L) is recomputed, then dV += Pᵀ dO, dP = dO Vᵀ,
    /// dS = P ∘ (dP − D) with D = rowsum(dO ∘ O), dQ += dS K/√d and dK += dSᵀ Q/√d.
    /// </summary>
    /// <param name="query">Q, (…, n, d).</param>
    /// <param name="key">K, (…, n, d).</param>
    /// <param name="value">V, (…, n, d).</param>
    /// <param name="output">O from <see cref="Forward"/>.</param>
    /// <param name="logSumExp">L from <see cref="Forward"/>, (…, n).</param>
    /// <param name="outputGradient">dO, (…, n, d).</param>
    /// <param name="causal">As in the forward pass.</param>
    /// <param name="queryBlock">Query rows per block.</param>
    /// <param name="keyBlock">Keys per block.</param>
    public static (Tensor Query, Tensor Key, Tensor Value) Backward(Tensor query, Tensor key, Tensor value, Tensor output, Tensor logSumExp,
        Tensor outputGradient, bool causal = false, int queryBlock = 64, int keyBlock = 64)
    {
        CheckBlocks(queryBlock, keyBlock);
        long n = query.shape[^2], d = query.shape[^1];
        double scale = 1.0 / Math.Sqrt(d);
        var dQuery = zeros_like(query);
        var dKey = zeros_like(key);
        var dValue = zeros_like(value);
        using (NewDisposeScope())
        {
            var rowDot = (outputGradient * output).sum(-1, keepdim: true);        // D = rowsum(dO ∘ O), (…, n, 1)
            var lse = logSumExp.unsqueeze(-1);
            for (long j0 = 0; j0 < n; j0 += keyBlock)
            {
                using var scope = NewDisposeScope();
                long cols = Math.Min(keyBlock, n - j0);
                var k = key.narrow(-2, j0, cols);
                var v = value.narrow(-2, j0, cols);
                long firstQuery = causal ? j0 / queryBlock * queryBlock : 0;       // earlier queries see none of these keys
                for (long i0 = firstQuery; i0 < n; i0 += queryBlock)
                {
                    long rows = Math.Min(queryBlock, n - i0);
                    var q = query.narrow(-2, i0, rows);
                    var dO = outputGradient.narrow(-2, i0, rows);
                    var scores = q.matmul(k.transpose(-2, -1)) * scale;
                    if (causal && j0 + cols - 1 > i0) scores = scores.masked_fill(CausalBlockMask(i0, rows, j0, cols, query.device), double.NegativeInfinity);
                    var probabilities = (scores - lse.narrow(-2, i0, rows)).exp();
                    dValue.narrow(-2, j0, cols).add_(probabilities.transpose(-2, -1).matmul(dO));
                    var dProbabilities = dO.matmul(v.transpose(-2, -1));
                    var dScores = probabilities * (dProbabilities - rowDot.narrow(-2, i0, rows));
                    dQuery.narrow(-2, i0, rows).add_(dScores.matmul(k) * scale);
                    dKey.narrow(-2, j0, cols).add_(dScores.transpose(-2, -1).matmul(q) * scale);
                }
            }
        }
        return (dQuery, dKey, dValue);
    }

    /// <summary>True where key j0 + c lies after query i0 + r: the entries a causal block masks.</summary>
    static Tensor CausalBlockMask(long i0, long rows, long j0, long cols, Device device) =>
        arange(j0, j0 + cols, device: device).unsqueeze(0).gt(arange(i0, i0 + rows, device: device).unsqueeze(1));

    static void CheckBlocks(int queryBlock, int keyBlock)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(queryBlock);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keyBlock);
    }
}
