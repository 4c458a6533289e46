using static TorchSharp.torch;

namespace TransformersBook.Attention;

/// <summary>
/// Local attention masks of Longformer (Beltagy et al., 2020): query i may attend only to keys within
/// <c>radius</c> positions of itself, so each query scores 2r + 1 keys instead of n and the cost falls from O(n²) to
/// O(n·r). Stacking L such layers lets information travel L·r positions (the receptive field). Global tokens restore a
/// route between any two positions: they attend to every key and every query attends to them. Masks are boolean,
/// true = may attend, (length, length).
/// </summary>
public static class SlidingWindowMask
{
    /// <summary>Keys j with |i − j| ≤ <paramref name="radius"/> (a band of width 2r + 1 around the diagonal).</summary>
    public static Tensor Symmetric(long length, long radius, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        using var scope = NewDisposeScope();
        var offset = Offsets(length, device);
        return offset.abs().le(radius).MoveToOuterDisposeScope();
    }

    /// <summary>Keys j with 0 ≤ i − j ≤ <paramref name="radius"/>: the causal (decoder) form of the window.</summary>
    public static Tensor Causal(long length, long radius, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        using var scope = NewDisposeScope();
        var offset = Offsets(length, device);
        return offset.ge(0).logical_and(offset.le(radius)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Adds Longformer's global attention to a (length, length) mask: the first <paramref name="globalTokens"/>
    /// positions attend to every key, and every query attends to them (their rows and columns become true).
    /// </summary>
    public static Tensor WithGlobalTokens(Tensor keep, long globalTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(globalTokens);
        using var scope = NewDisposeScope();
        long length = keep.shape[^1];
        var isGlobal = arange(length, device: keep.device).lt(globalTokens);
        var result = keep.logical_or(isGlobal.unsqueeze(0)).logical_or(isGlobal.unsqueeze(1));
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>How many positions away information can come from after <paramref name="layers"/> layers of a
    /// window of <paramref name="radius"/>: each layer moves it at most r positions.</summary>
    public static long ReceptiveField(int layers, long radius) => layers * radius;

    /// <summary>(length, length) int64 matrix of i − j.</summary>
    static Tensor Offsets(long length, Device? device)
    {
        var positions = arange(length, dtype: ScalarType.Int64, device: device);
        return positions.unsqueeze(1) - positions.unsqueeze(0);
    }
}
