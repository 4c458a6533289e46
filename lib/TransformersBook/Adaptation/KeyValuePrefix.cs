using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Adaptation;

/// <summary>
/// One layer's prefix of prefix tuning (Li and Liang, 2021): P trainable keys and P trainable values that every query of
/// the layer can attend to, before the sequence's own (causal) keys. Unlike a soft prompt, the prefix is set in every
/// layer directly rather than computed from an input vector. Li and Liang reparametrise the prefix through an MLP during
/// training for stability; this class holds the prefix itself.
/// </summary>
public sealed class KeyValuePrefix : nn.Module
{
    readonly Parameter keys;
    readonly Parameter values;

    /// <param name="length">P, prefix positions.</param>
    /// <param name="width">d, the model width (all heads side by side).</param>
    /// <param name="scale">Standard deviation of the random initial keys and values.</param>
    public KeyValuePrefix(int length, int width, double scale = 1.0) : base(nameof(KeyValuePrefix))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        keys = nn.Parameter(randn(length, width) * scale);
        values = nn.Parameter(randn(length, width) * scale);
        RegisterComponents();
    }

    /// <summary>P.</summary>
    public long Length => keys.shape[0];

    /// <summary>(P, d) prefix keys.</summary>
    public Parameter Keys => keys;

    /// <summary>(P, d) prefix values.</summary>
    public Parameter Values => values;

    /// <summary>Sets the keys and values, e.g. to the ones the layer computes for real tokens.</summary>
    public void InitializeFrom(Tensor keyRows, Tensor valueRows)
    {
        using var noGrad = no_grad();
        keys.copy_(keyRows);
        values.copy_(valueRows);
    }

    /// <summary>Prefix keys and values split into heads for a batch: each (batch, heads, P, d/heads).</summary>
    public (Tensor Keys, Tensor Values) ForHeads(long batch, int heads)
    {
        long p = keys.shape[0], d = keys.shape[1];
        Tensor Split(Tensor z) => z.view(1, p, heads, d / heads).transpose(1, 2).expand(batch, -1, -1, -1);
        return (Split(keys), Split(values));
    }
}
