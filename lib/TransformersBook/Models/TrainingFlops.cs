namespace TransformersBook.Models;

/// <summary>
/// The compute of a transformer per token in the accounting of Kaplan et al. (2020, §2.1, Table 1): a weight used in a
/// matrix product costs one multiply and one add per token in the forward pass (2N), and the backward pass computes
/// gradients with respect to both activations and weights, twice the forward work (4N); so training costs ≈ 6N per
/// token. N counts non-embedding parameters. Attention adds a term that grows with the context n_ctx: the query-key
/// scores and the weighted sum of values, 2·n_layer·n_ctx·d_attn per token forward for a causal model (each query
/// sees n_ctx/2 keys on average), times 3 for training.
/// </summary>
public static class TrainingFlops
{
    /// <summary>Forward FLOPs per token: 2N + 2·n_layer·n_ctx·d_attn.</summary>
    /// <param name="parameters">N, the non-embedding parameters.</param>
    /// <param name="layers">n_layer.</param>
    /// <param name="context">n_ctx, the sequence length attended over.</param>
    /// <param name="attentionWidth">d_attn, the width of the queries, keys and values (d_model in GPT).</param>
    public static double ForwardPerToken(long parameters, int layers, int context, int attentionWidth) =>
        2.0 * parameters + AttentionForwardPerToken(layers, context, attentionWidth);

    /// <summary>The context-dependent part of <see cref="ForwardPerToken"/>: 2·n_layer·n_ctx·d_attn.</summary>
    public static double AttentionForwardPerToken(int layers, int context, int attentionWidth) =>
        2.0 * layers * context * attentionWidth;

    /// <summary>Training FLOPs per token, forward and backward: 6N + 6·n_layer·n_ctx·d_attn.</summary>
    public static double TrainingPerToken(long parameters, int layers, int context, int attentionWidth) =>
        3.0 * ForwardPerToken(parameters, layers, context, attentionWidth);

    /// <summary>The share of training FLOPs spent on the attention term: n_layer·n_ctx·d / (N + n_layer·n_ctx·d).</summary>
    public static double AttentionShare(long parameters, int layers, int context, int attentionWidth) =>
        AttentionForwardPerToken(layers, context, attentionWidth) / ForwardPerToken(parameters, layers, context, attentionWidth);

    /// <summary>
    /// N of a <see cref="Gpt"/>: every parameter but the token and position embeddings (the tied output layer is the
    /// token embedding, so it is left out too, as Kaplan et al. do).
    /// </summary>
    public static long NonEmbeddingParameters(GptConfig config) =>
        config.ParameterCount - (long)config.VocabularySize * config.Width - (long)config.ContextLength * config.Width;
}
