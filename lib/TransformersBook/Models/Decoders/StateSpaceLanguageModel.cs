using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Blocks;
using TransformersBook.Training;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// A language model built like <see cref="Gpt"/> — token embedding, pre-norm blocks, final LayerNorm, tied output layer —
/// with a selective state-space mixer (a simplified Mamba, Gu and Dao, 2023) in every block in place of attention.
/// Training runs over whole sequences (<see cref="DecoderLanguageModel{TBlock}.forward"/>); generation carries one fixed-size state per layer
/// from token to token (<see cref="Step"/>), so a token costs the same however long the text before it.
/// </summary>
public sealed class StateSpaceLanguageModel : DecoderLanguageModel<StateSpaceBlock>
{
    /// <param name="config">The model's size.</param>
    public StateSpaceLanguageModel(StateSpaceConfig config)
        : base(nameof(StateSpaceLanguageModel), config.VocabularySize, config.Width, config.Layers, contextLength: null, config.Dropout,
            _ => new StateSpaceBlock(config.Width, config.StateSize, config.Dropout))
    {
        Config = config;
        Initialize();
    }

    /// <summary>The model's size.</summary>
    public StateSpaceConfig Config { get; }

    /// <summary>GPT-2's initialisation for the linear layers and the embedding; the state-space parameters keep their own (S4D-Real A, Mamba's Δ).</summary>
    void Initialize()
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.EndsWith("weight", StringComparison.Ordinal) && parameter.dim() == 2) nn.init.normal_(parameter, 0.0, 0.02);
            // b_Δ sets the initial step sizes; every other bias starts at zero.
            else if (name.EndsWith("bias", StringComparison.Ordinal) && !name.Contains("stepProjection", StringComparison.Ordinal)) nn.init.zeros_(parameter);
        }
        double residualStd = 0.02 / Math.Sqrt(2.0 * Config.Layers);
        foreach (var block in BlockList)
        {
            nn.init.normal_(block.Mixer.OutputProjection.weight!, 0.0, residualStd);
            nn.init.normal_(block.FeedForward.OutputProjection.weight!, 0.0, residualStd);
        }
    }

    /// <summary>Zero states, one (batch, d, N) tensor per layer.</summary>
    public Tensor[] InitialState(long batch, Device? device = null) =>
        BlockList.Select(b => b.Mixer.InitialState(batch, device)).ToArray();

    /// <summary>One token of every sequence in: the next-token logits (batch, n_vocab) and the new per-layer states out.</summary>
    /// <param name="tokens">(batch) token ids.</param>
    /// <param name="states">One (batch, d, N) state per layer, from <see cref="InitialState"/> or the previous step.</param>
    public (Tensor Logits, Tensor[] States) Step(Tensor tokens, Tensor[] states)
    {
        using var scope = NewDisposeScope();
        var x = TokenEmbedding.forward(tokens);
        var next = new Tensor[states.Length];
        for (int i = 0; i < BlockList.Count; i++)
        {
            (x, next[i]) = BlockList[i].Step(x, states[i]);
            next[i].MoveToOuterDisposeScope();
        }
        var logits = Logits(FinalNorm.forward(x));
        return (logits.MoveToOuterDisposeScope(), next);
    }

    /// <summary>
    /// Extends each sequence by sampling one token at a time from softmax(logits / temperature), optionally only among
    /// the <paramref name="topK"/> most likely. The prompt is read token by token into the states; nothing is cropped.
    /// </summary>
    public override Tensor Generate(Tensor tokens, int newTokens, double temperature = 1.0, int? topK = null, Generator? generator = null)
    {
        if (temperature <= 0) throw new ArgumentOutOfRangeException(nameof(temperature), "temperature must be positive.");
        if (tokens.shape[1] < 1) throw new ArgumentException("the prompt needs at least one token.", nameof(tokens));
        bool wasTraining = training;
        eval();
        try
        {
            using var noGrad = no_grad();
            var states = InitialState(tokens.shape[0], tokens.device);
            Tensor logits = zeros(1);
            var produced = new List<Tensor> { tokens };
            for (long t = 0; t < tokens.shape[1]; t++)
                (logits, states) = Step(tokens.select(1, t), states);
            for (int i = 0; i < newTokens; i++)
            {
                var next = TokenSampler.Sample(logits, temperature, topK, generator);
                produced.Add(next);
                if (i + 1 < newTokens) (logits, states) = Step(next.squeeze(1), states);
            }
            return cat(produced, dim: 1);
        }
        finally
        {
            train(wasTraining);
        }
    }
}
