using TorchSharp;
using TransformersBook.Data;
using TransformersBook.Models;
using TransformersBook.Training;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>The GRU encoder-decoder with and without additive attention, and the grapheme-to-phoneme data it trains on.</summary>
[Collection(ProcessState.Name)]
public class GruSeq2SeqTests
{
    public GruSeq2SeqTests() => TestSetup.Initialize();

    static GruSeq2SeqConfig Config(bool attention) => new(SourceVocabularySize: 7, TargetVocabularySize: 9, EmbeddingSize: 5,
        HiddenSize: 6, UseAttention: attention, AttentionSize: 4);

    // Two sources, the second right-padded: lengths 5 and 3.
    static Tensor Source() => tensor(new long[] { 1, 2, 3, 4, 5, 6, 3, 2, 0, 0 }, new long[] { 2, 5 });

    static Tensor TargetInput() => tensor(new long[] { 1, 4, 5, 6, 1, 7, 8, 0 }, new long[] { 2, 4 });

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Shapes_and_parameter_count(bool attention)
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var model = new GruSeq2Seq(Config(attention));
        var (logits, weights) = model.Run(Source(), TargetInput());
        Assert.Equal(new long[] { 2, 4, 9 }, logits.shape);
        Assert.Equal(new long[] { 2, 4, 5 }, weights.shape);
        var (memory, final, keep) = model.Encode(Source());
        Assert.Equal(new long[] { 2, 5, 6 }, memory.shape);
        Assert.Equal(new long[] { 2, 6 }, final.shape);
        Assert.Equal(new long[] { 2, 5 }, keep.shape);
        Assert.Equal(model.Config.ParameterCount, model.parameters().Sum(p => p.numel()));
        Assert.Equal(attention, model.Attention is not null);
    }

    [Fact]
    public void Attention_weights_sum_to_one_and_skip_padding()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var model = new GruSeq2Seq(Config(true));
        var (_, weights) = model.Run(Source(), TargetInput());
        Assert.True((weights.sum(-1) - 1).abs().max().item<float>() < 1e-6f);
        Assert.Equal(0f, weights[1, TensorIndex.Colon, TensorIndex.Slice(3, null)].abs().max().item<float>());
        Assert.True(weights[0].min().item<float>() > 0f);
    }

    [Fact]
    public void Final_state_is_the_state_after_the_last_real_token()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var model = new GruSeq2Seq(Config(false));
        var (memory, final, _) = model.Encode(Source());
        Assert.Equal(0f, (final[0] - memory[0, 4]).abs().max().item<float>());
        Assert.Equal(0f, (final[1] - memory[1, 2]).abs().max().item<float>());
        // The unpadded second word alone gives the same final state.
        var (_, alone, _) = model.Encode(tensor(new long[] { 6, 3, 2 }, new long[] { 1, 3 }));
        Assert.True((alone[0] - final[1]).abs().max().item<float>() < 1e-6f);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Only_the_attention_decoder_reads_encoder_states_before_the_last(bool attention)
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var model = new GruSeq2Seq(Config(attention));
        var (memory, final, keep) = model.Encode(Source());
        var state = model.Start(final);
        var previous = tensor(new long[] { 1, 1 });
        var (logits, _, _) = model.DecodeStep(previous, state, memory, final, keep);
        // Replace every encoder state except the final ones with noise.
        var scrambled = randn_like(memory);
        scrambled[0, 4] = memory[0, 4];
        scrambled[1, 2] = memory[1, 2];
        var (logitsScrambled, _, _) = model.DecodeStep(previous, state, scrambled, final, keep);
        float change = (logits - logitsScrambled).abs().max().item<float>();
        if (attention) Assert.True(change > 1e-4f, $"the attention decoder should notice, changed by {change}");
        else Assert.Equal(0f, change);
    }

    [Fact]
    public void Decoder_cell_follows_the_GRU_equations()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var model = new GruSeq2Seq(Config(true));
        var cell = model.DecoderCell;
        var x = randn(3, 5 + 6);
        var h = randn(3, 6);
        // PyTorch's GRUCell: weights stacked as (reset, update, new) rows.
        var gi = x.matmul(cell.weight_ih!.t()) + cell.bias_ih!;
        var gh = h.matmul(cell.weight_hh!.t()) + cell.bias_hh!;
        var (iR, iZ, iN) = (gi[.., ..6], gi[.., 6..12], gi[.., 12..]);
        var (hR, hZ, hN) = (gh[.., ..6], gh[.., 6..12], gh[.., 12..]);
        var r = sigmoid(iR + hR);
        var z = sigmoid(iZ + hZ);
        var n = tanh(iN + r * hN);
        var expected = (1 - z) * n + z * h;
        Assert.True((cell.forward(x, h) - expected).abs().max().item<float>() < 1e-6f);
    }

    [Fact]
    public void Greedy_decoding_stops_at_the_end_token_and_returns_step_weights()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        using var model = new GruSeq2Seq(Config(true));
        using var decoded = model.GreedyDecode(Source(), startId: 1, endId: 2, maxTokens: 6);
        Assert.Equal(2, decoded.Tokens.shape[0]);
        Assert.True(decoded.Tokens.shape[1] <= 7);
        Assert.Equal(new long[] { 2, 1, decoded.Tokens.shape[1] - 1, 5 }, decoded.CrossAttention.shape);
        Assert.True(model.training);
    }

    [Fact]
    public void Dataset_builds_vocabularies_a_disjoint_split_and_padded_batches()
    {
        var words = new Dictionary<string, IReadOnlyList<string>>
        {
            ["CAT"] = new[] { "K", "AE1", "T" }, ["DOG"] = new[] { "D", "AO1", "G" }, ["A"] = new[] { "AH0" },
            ["O'NEIL"] = new[] { "OW0", "N", "IY1", "L" }, ["TACO"] = new[] { "T", "AA1", "K", "OW0" },
            ["GO"] = new[] { "G", "OW1" },
        };
        var data = new GraphemePhonemeDataset(words, validationWords: 1, seed: 3);
        Assert.Equal(4, data.Train.Count + data.Validation.Count);   // "A" too short, "O'NEIL" not plain letters
        Assert.Empty(data.Train.Select(e => e.Word).Intersect(data.Validation.Select(e => e.Word)));
        Assert.Equal(new[] { "<pad>", "<s>", "</s>", "AA", "AE", "AO", "D", "G", "K", "OW", "T" }, data.Phonemes);
        Assert.Equal(27, data.Letters.Count);
        using var scope = NewDisposeScope();
        var batch = data.Batch(new[] { new CmuDictEntry("GO", 0, new[] { "G", "OW" }), new CmuDictEntry("TACO", 0, new[] { "T", "AA", "K", "OW" }) });
        Assert.Equal(new long[] { 7, 15, 0, 0, 20, 1, 3, 15 }, batch.Source.data<long>().ToArray());
        Assert.Equal(new long[] { 1, 7, 9, 0, 0, 1, 10, 3, 8, 9 }, batch.TargetInput.data<long>().ToArray());
        Assert.Equal(new long[] { 7, 9, 2, 0, 0, 10, 3, 8, 9, 2 }, batch.TargetOutput.data<long>().ToArray());
        Assert.Equal(new[] { "T", "AA" }, data.DecodePhonemes(new long[] { 1, 10, 3, 2, 8 }));
    }

    [Fact]
    public void Attention_model_overfits_a_few_words()
    {
        var words = new Dictionary<string, IReadOnlyList<string>>
        {
            ["CAT"] = new[] { "K", "AE1", "T" }, ["DOG"] = new[] { "D", "AO1", "G" }, ["TACO"] = new[] { "T", "AA1", "K", "OW0" },
            ["GO"] = new[] { "G", "OW1" }, ["COAT"] = new[] { "K", "OW1", "T" }, ["GOD"] = new[] { "G", "AA1", "D" },
            ["ACT"] = new[] { "AE1", "K", "T" }, ["TOAD"] = new[] { "T", "OW1", "D" }, ["DATA"] = new[] { "D", "EY1", "T", "AH0" },
        };
        var data = new GraphemePhonemeDataset(words, validationWords: 1, seed: 1);
        manual_seed(7);
        using var model = new GruSeq2Seq(new GruSeq2SeqConfig(data.Letters.Count, data.Phonemes.Count, 16, 32, UseAttention: true));
        using var optimizer = optim.Adam(model.parameters(), lr: 0.01);
        var all = data.Batch(data.Train);
        var trainer = new Trainer(model, optimizer, new TrainerOptions { Steps = 200, ProgressWriter = TextWriter.Null });
        trainer.Fit(_ => all, b => Losses.TokenCrossEntropy(model.forward(b.Source, b.TargetInput), b.TargetOutput, GraphemePhonemeDataset.PaddingId));
        using var decoded = model.GreedyDecode(all.Source, GraphemePhonemeDataset.StartId, GraphemePhonemeDataset.EndId, 8);
        for (int i = 0; i < data.Train.Count; i++)
            Assert.Equal(string.Join(' ', data.Train[i].Phonemes), string.Join(' ', data.DecodePhonemes(decoded.Tokens[i].data<long>().ToArray())));
    }
}
