using TorchSharp;
using TransformersBook.Attention;
using TransformersBook.Convolutions;
using TransformersBook.StateSpace;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>The layers that can mix information across positions in a <c>SequenceMixerModel</c>.</summary>
public enum SequenceMixerKind
{
    /// <summary>Causal multi-head self-attention (<see cref="CausalSelfAttention"/>): content-based, O(L²).</summary>
    Attention,

    /// <summary>A time-invariant diagonal SSM, S4D (<see cref="DiagonalStateSpaceMixer"/>): one fixed kernel per channel.</summary>
    DiagonalStateSpace,

    /// <summary>The selective SSM, a simplified Mamba mixer (<see cref="SelectiveStateSpace"/>): input-dependent Δ, B, C.</summary>
    SelectiveStateSpace,

    /// <summary>The Hyena operator of order 2 (<see cref="HyenaOperator"/>): implicit long convolutions and data-controlled gates.</summary>
    Hyena,
}

/// <summary>Builds the mixer of a <see cref="SequenceMixerKind"/>.</summary>
public static class SequenceMixers
{
    /// <param name="kind">Which mixer.</param>
    /// <param name="width">d, the model width.</param>
    /// <param name="heads">Attention heads (attention only).</param>
    /// <param name="stateSize">N, states per channel (the two SSMs only).</param>
    public static nn.Module<Tensor, Tensor> Create(SequenceMixerKind kind, int width, int heads = 2, int stateSize = 16) => kind switch
    {
        SequenceMixerKind.Attention => new CausalSelfAttention(width, heads),
        SequenceMixerKind.DiagonalStateSpace => new DiagonalStateSpaceMixer(width, stateSize),
        SequenceMixerKind.SelectiveStateSpace => new SelectiveStateSpace(width, stateSize),
        SequenceMixerKind.Hyena => new HyenaOperator(width, order: 2),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown sequence mixer."),
    };
}
