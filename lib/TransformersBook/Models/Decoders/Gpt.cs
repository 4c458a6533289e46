using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Blocks;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// A decoder-only transformer language model in the GPT-2 layout (Radford et al., 2019): token and learned position
/// embeddings, a stack of pre-norm decoder blocks, a final LayerNorm, and logits from the token embedding matrix
/// reused as the output layer (Press and Wolf, 2017). The layout is <see cref="DecoderLanguageModel{TBlock}"/>'s;
/// GPT supplies the blocks and GPT-2's initialisation.
/// </summary>
public sealed class Gpt : DecoderLanguageModel<PreNormDecoderBlock>
{
    /// <param name="config">The model's sizes, dropout and feed-forward kind.</param>
    public Gpt(GptConfig config)
        : base(nameof(Gpt), config.VocabularySize, config.Width, config.Layers, config.ContextLength, config.Dropout,
            _ => new PreNormDecoderBlock(config.Width, config.Heads, config.Dropout, feedForwardKind: config.FeedForwardKind))
    {
        Config = config;
        Initialize();
    }

    /// <summary>The model's sizes, dropout and feed-forward kind.</summary>
    public GptConfig Config { get; }

    /// <summary>The learned position embedding, one row per position up to n_ctx (a GPT always has one).</summary>
    public new Embedding PositionEmbedding => base.PositionEmbedding!;

    /// <summary>GPT-2's initialisation (<see cref="Gpt2Initialization"/>): attention and feed-forward output projections are the residual ones.</summary>
    void Initialize() => Gpt2Initialization.Apply(this, Config.Layers,
        BlockList.SelectMany(block => new[] { block.Attention.OutputProjection, block.FeedForwardOutputProjection }));
}
