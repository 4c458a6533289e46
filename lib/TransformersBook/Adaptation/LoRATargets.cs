namespace TransformersBook.Adaptation;

/// <summary>Which linear layers of each GPT block get a low-rank update (<see cref="LoRALinear"/>).</summary>
[Flags]
public enum LoRATargets
{
    /// <summary>No layer.</summary>
    None = 0,

    /// <summary>The fused query-key-value projection W_QKV (d → 3d).</summary>
    AttentionQkv = 1,

    /// <summary>The attention output projection W_O (d → d).</summary>
    AttentionOutput = 2,

    /// <summary>The feed-forward layer into the hidden width (d → 4d).</summary>
    FeedForwardUp = 4,

    /// <summary>The feed-forward layer back to the model width (4d → d).</summary>
    FeedForwardDown = 8,

    /// <summary>Both attention projections.</summary>
    Attention = AttentionQkv | AttentionOutput,

    /// <summary>Both feed-forward layers.</summary>
    FeedForward = FeedForwardUp | FeedForwardDown,

    /// <summary>Every linear layer of the block.</summary>
    All = Attention | FeedForward,
}
