using static TorchSharp.torch;

namespace TransformersBook.Interpretability;

/// <summary>
/// How much a head behaves like an induction head (Olsson et al., 2022): at each position whose token occurred before,
/// the attention it pays to the token just after each earlier occurrence ("prefix matching"), averaged over such
/// positions. An induction head scores near 1; a head that attends elsewhere scores near 0.
/// </summary>
public static class PrefixMatchingScore
{
    /// <summary>One score per head.</summary>
    /// <param name="patterns">(batch, heads, time, time) attention weights of one layer.</param>
    /// <param name="tokens">(batch, time) the input ids.</param>
    public static double[] Compute(Tensor patterns, Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var targets = Targets(tokens.to(patterns.device));                                  // (B, T, T) 1 at j = (earlier occurrence) + 1
        var attention = (patterns * targets.unsqueeze(1)).sum(dim: -1);                     // (B, H, T)
        var valid = targets.sum(dim: -1).gt(0).unsqueeze(1).to_type(attention.dtype);      // (B, 1, T) positions with an earlier copy
        var perHead = (attention * valid).sum(new long[] { 0, 2 }) / (valid.sum() * 1.0).clamp_min(1);
        return perHead.detach().cpu().to_type(ScalarType.Float64).data<double>().ToArray();
    }

    /// <summary>(batch, time, time): 1 at (i, j + 1) for every j &lt; i with token_j = token_i, 0 elsewhere.</summary>
    public static Tensor Targets(Tensor tokens)
    {
        long time = tokens.shape[1];
        var same = tokens.unsqueeze(2).eq(tokens.unsqueeze(1));                              // (B, T, T) token_i = token_j
        var earlier = ones(time, time, dtype: ScalarType.Bool, device: tokens.device).tril(-1);
        var matches = (same & earlier).to_type(ScalarType.Float32);                          // j < i, same token
        var targets = zeros_like(matches);
        targets.narrow(2, 1, time - 1).copy_(matches.narrow(2, 0, time - 1));               // shift to j + 1
        return targets;
    }
}
