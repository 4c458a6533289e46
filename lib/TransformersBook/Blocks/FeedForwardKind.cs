namespace TransformersBook.Blocks;

/// <summary>The feed-forward sublayers the book compares (Part 1, "Feed-forward blocks and activations").</summary>
public enum FeedForwardKind
{
    /// <summary>W₂ max(0, W₁x): the original transformer (Vaswani et al., 2017).</summary>
    Relu,

    /// <summary>W₂ GELU(W₁x): GPT-2 and BERT (Hendrycks and Gimpel, 2016).</summary>
    Gelu,

    /// <summary>W₂ (Swish(W x) ⊙ V x): a gated linear unit with the Swish/SiLU gate (Shazeer, 2020); LLaMA's choice.</summary>
    SwiGlu,

    /// <summary>W₂ (GELU(W x) ⊙ V x): a gated linear unit with the GELU gate (Shazeer, 2020).</summary>
    GeGlu,
}
