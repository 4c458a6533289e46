using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Positional;
using static TorchSharp.torch;

namespace TransformersBook.Attention;

/// <summary>
/// Transformer-XL's attention (Dai et al., 2019): a segment attends causally to itself and to a memory of hidden states
/// cached from earlier segments, with positions that are relative, so the same weights serve every segment. The score
/// of query i and key j, at distance δ = i − j ≥ 0 in the concatenated sequence [memory; segment], has four terms,
/// <c>A_ij = q_iᵀk_j + q_iᵀW_R r_δ + uᵀk_j + vᵀW_R r_δ</c> (content, position, a global content bias u and a global
/// position bias v, one per head), with r_δ the sinusoidal code of δ. The memory enters keys and values only; it is
/// not trained through (the caller detaches it). The position terms for every (i, j) are gathered from one table of
/// the distances 0 … M + L − 1, which is what the paper's "relative shift" computes in place.
/// </summary>
public sealed class RelativeMemoryAttention : nn.Module<Tensor, Tensor, Tensor>
{
    readonly Linear query;
    readonly Linear keyValue;
    readonly Linear positionProjection;   // W_R
    readonly Parameter contentBias;       // u, (heads, head size)
    readonly Parameter positionBias;      // v, (heads, head size)
    readonly Linear output;
    readonly int heads;

    /// <param name="width">d, the model width.</param>
    /// <param name="heads">Attention heads (d must be divisible by them).</param>
    /// <param name="window">
    /// W &gt; 0: query i sees only keys at distances 0 … W − 1 (a causal sliding window, Beltagy et al., 2020), so a long
    /// text read at once costs at most W scores per token, the baseline a memory is compared with; 0: no limit.
    /// </param>
    public RelativeMemoryAttention(int width, int heads, int window = 0) : base(nameof(RelativeMemoryAttention))
    {
        if (window < 0) throw new ArgumentOutOfRangeException(nameof(window), "the window must be 0 (none) or positive.");
        if (width % heads != 0) throw new ArgumentException($"width {width} is not divisible by {heads} heads.", nameof(heads));
        if (width % 2 != 0) throw new ArgumentException("the width must be even: the distance codes are sine–cosine pairs.", nameof(width));
        this.heads = heads;
        Width = width;
        Window = window;
        query = nn.Linear(width, width, hasBias: false);
        keyValue = nn.Linear(width, 2 * width, hasBias: false);
        positionProjection = nn.Linear(width, width, hasBias: false);
        contentBias = nn.Parameter(zeros(heads, width / heads));
        positionBias = nn.Parameter(zeros(heads, width / heads));
        output = nn.Linear(width, width);
        RegisterComponents();
    }

    /// <summary>d, the model width.</summary>
    public int Width { get; }

    /// <summary>W: the most keys (distances 0 … W − 1) a query sees; 0 for no limit.</summary>
    public int Window { get; }

    /// <summary>The projection back onto the residual stream.</summary>
    public Linear OutputProjection => output;

    /// <param name="segment">(batch, L, width): the current segment.</param>
    /// <param name="memory">(batch, M, width): cached states of earlier segments (M may be 0), oldest first.</param>
    /// <returns>(batch, L, width)</returns>
    public override Tensor forward(Tensor segment, Tensor memory)
    {
        using var scope = NewDisposeScope();
        long b = segment.shape[0], l = segment.shape[1], m = memory.shape[1], d = Width, size = d / heads;
        var context = m == 0 ? segment : cat(new[] { memory, segment }, dim: 1);                    // (B, M+L, d)
        var q = query.forward(segment).view(b, l, heads, size).transpose(1, 2);                     // (B, H, L, s)
        var kv = keyValue.forward(context).split(d, dim: 2);
        var k = kv[0].view(b, m + l, heads, size).transpose(1, 2);                                  // (B, H, M+L, s)
        var v = kv[1].view(b, m + l, heads, size).transpose(1, 2);

        // Content terms: (q + u)·k for every query and key.
        var content = (q + contentBias.unsqueeze(1)).matmul(k.transpose(2, 3));                    // (B, H, L, M+L)
        // Position terms: (q + v)·W_R r_δ for every distance δ = 0 … M+L−1, then each (i, j) picks δ = M + i − j.
        var codes = SinusoidalPositionalEncoding.Table(m + l, (int)d, segment.device);              // r_δ, (M+L, d)
        var r = positionProjection.forward(codes).view(m + l, heads, size).permute(1, 2, 0);       // (H, s, M+L)
        var byDistance = (q + positionBias.unsqueeze(1)).matmul(r);                                 // (B, H, L, M+L)
        var i = arange(l, device: segment.device).unsqueeze(1);
        var j = arange(m + l, device: segment.device).unsqueeze(0);
        var distance = m + i - j;                                                                   // (L, M+L)
        var position = byDistance.gather(3, distance.clamp(0, m + l - 1).expand(b, heads, l, m + l));

        var scores = (content + position) / Math.Sqrt(size);
        var hidden = Window > 0 ? (distance < 0).logical_or(distance >= Window) : distance < 0;     // no future keys, none beyond W
        scores = scores.masked_fill(hidden.expand(b, heads, l, m + l), double.NegativeInfinity);
        var y = nn.functional.softmax(scores, dim: -1).matmul(v);                                   // (B, H, L, s)
        return output.forward(y.transpose(1, 2).contiguous().view(b, l, d)).MoveToOuterDisposeScope();
    }
}
