namespace TransformersBook.Blocks;

/// <summary>Where a residual block applies its LayerNorm relative to the skip connection.</summary>
public enum NormPlacement
{
    /// <summary>
    /// x ← x + F(LN(x)) (GPT-2; Xiong et al., 2020): the skip path from the output to the input is the identity, so
    /// gradients reach the first layers undiminished and deep stacks train without learning-rate warmup.
    /// </summary>
    PreNorm,

    /// <summary>
    /// x ← LN(x + F(x)) (the original Transformer, Vaswani et al., 2017): every block's output is normalised, but
    /// each LayerNorm sits on the skip path, which is why deep post-norm stacks need a learning-rate warmup.
    /// </summary>
    PostNorm,
}
