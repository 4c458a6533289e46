using static TorchSharp.torch;

namespace TransformersBook.Attention;

/// <summary>
/// Sliding-window attention computed on the band only: for every query the 2r + 1 keys around it are gathered with
/// <c>unfold</c>, scored and softmaxed, so the score tensor is (…, n, 2r + 1) instead of (…, n, n) and the work is
/// O(n·r·d). Keys beyond the ends of the sequence are padding and are masked out. It equals dense attention under
/// <see cref="SlidingWindowMask.Symmetric"/>.
/// </summary>
public static class BandedWindowAttention
{
    /// <param name="query">(…, n, d)</param>
    /// <param name="key">(…, n, d)</param>
    /// <param name="value">(…, n, d_v)</param>
    /// <param name="radius">r: query i sees keys i − r … i + r.</param>
    /// <returns>(…, n, d_v)</returns>
    public static Tensor Compute(Tensor query, Tensor key, Tensor value, long radius)
    {
        using var scope = NewDisposeScope();
        long n = query.shape[^2], width = 2 * radius + 1;
        // Pad r zero rows at each end of the sequence, then take a window of 2r + 1 rows starting at every position.
        var keyWindows = nn.functional.pad(key, new long[] { 0, 0, radius, radius }).unfold(-2, width, 1);        // (…, n, d, w)
        var valueWindows = nn.functional.pad(value, new long[] { 0, 0, radius, radius }).unfold(-2, width, 1);    // (…, n, d_v, w)
        var scores = query.unsqueeze(-2).matmul(keyWindows).squeeze(-2) / Math.Sqrt(query.shape[^1]);            // (…, n, w)
        var keyPosition = arange(n, device: query.device).unsqueeze(1) + arange(width, device: query.device).unsqueeze(0) - radius;
        var inside = keyPosition.ge(0).logical_and(keyPosition.lt(n));                                         // (n, w)
        var weights = MaskedSoftmax.Softmax(scores, inside);
        return valueWindows.matmul(weights.unsqueeze(-1)).squeeze(-1).MoveToOuterDisposeScope();
    }
}
