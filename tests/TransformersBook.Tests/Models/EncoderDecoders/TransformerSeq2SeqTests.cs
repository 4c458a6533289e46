using System.Diagnostics;
using TorchSharp;
using TransformersBook.Attention;
using TransformersBook.Checks;
using TransformersBook.Models;
using TransformersBook.Training;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>
/// The encoder-decoder transformer: its size, its shapes, a causal decoder, padding that changes nothing, and that it
/// learns to copy short sequences on the CPU within seconds.
/// </summary>
// Seeded learning tests share torch's global generator: run them alone so the seed decides the result.
[Collection(ProcessState.Name)]
public class TransformerSeq2SeqTests
{
    public TransformerSeq2SeqTests() => TestSetup.Initialize();

    const long Pad = 0, Start = 1, End = 2, FirstSymbol = 3;
    const int Symbols = 10, Longest = 6;

    static readonly TransformerSeq2SeqConfig Tiny = new(
        SourceVocabularySize: 13, TargetVocabularySize: 13, Width: 32, Heads: 4, EncoderLayers: 2, DecoderLayers: 2,
        FeedForwardWidth: 64, MaxLength: 8, Dropout: 0.0);

    [Fact]
    public void Counted_parameters_match_the_architecture_formula()
    {
        using var postNorm = new TransformerSeq2Seq(Tiny);
        using var preNorm = new TransformerSeq2Seq(Tiny with { PreNorm = true, TargetVocabularySize = 17 });
        Assert.Equal(Tiny.ParameterCount, postNorm.parameters().Sum(p => p.numel()));
        Assert.Equal((Tiny with { PreNorm = true, TargetVocabularySize = 17 }).ParameterCount, preNorm.parameters().Sum(p => p.numel()));
        // The base model outside embeddings and output layer: 6 × 3,152,384 (encoder) + 6 × 4,204,032 (decoder).
        var paper = TransformerSeq2SeqConfig.Base(1, 1);
        Assert.Equal(6L * 3_152_384 + 6L * 4_204_032, paper.ParameterCount - 2 * 512 - (512 + 1));
    }

    [Fact]
    public void Shapes_of_logits_memory_and_decoding()
    {
        using var scope = NewDisposeScope();
        manual_seed(81);
        using var model = new TransformerSeq2Seq(Tiny);
        var source = randint(3, 13, new long[] { 3, 5 });
        var target = randint(3, 13, new long[] { 3, 7 });
        Assert.Equal(new long[] { 3, 7, 13 }, model.forward(source, target).shape);
        var keep = model.SourceKeep(source);
        Assert.Equal(new long[] { 3, 5, 32 }, model.Encode(source, keep).shape);
        using var decoded = model.GreedyDecode(source, Start, End, maxTokens: 6);
        Assert.Equal(3, decoded.Tokens.shape[0]);
        Assert.InRange(decoded.Tokens.shape[1], 2, 7);
        Assert.Equal(new long[] { 3, Tiny.Heads, decoded.Tokens.shape[1] - 1, 5 }, decoded.CrossAttention.shape);
        Assert.True(decoded.Tokens.select(1, 0).eq(Start).all().item<bool>());
        Assert.True(model.training);
        Assert.Throws<ArgumentException>(() => model.forward(source, randint(3, 13, new long[] { 3, 9 })));
    }

    [Fact]
    public void The_decoder_is_causal()
    {
        using var scope = NewDisposeScope();
        manual_seed(82);
        using var model = new TransformerSeq2Seq(Tiny with { PreNorm = true });
        model.eval();
        var source = randint(3, 13, new long[] { 2, 6 });
        var target = randint(3, 13, new long[] { 2, 7 });
        var changed = target.clone();
        changed[.., 4] = (changed[.., 4] - 2) % 10 + 3;
        var a = model.forward(source, target);
        var b = model.forward(source, changed);
        Assert.True(Difference.MaxAbs(a.narrow(1, 0, 4), b.narrow(1, 0, 4)) < 1e-6f);
        Assert.True(Difference.MaxAbs(a.narrow(1, 4, 1), b.narrow(1, 4, 1)) > 1e-3f);
    }

    [Fact]
    public void Changing_padded_source_tokens_changes_nothing()
    {
        using var scope = NewDisposeScope();
        manual_seed(83);
        using var model = new TransformerSeq2Seq(Tiny);
        model.eval();
        var source = randint(3, 13, new long[] { 2, 6 });
        var keep = AttentionMasks.Padding(tensor(new long[] { 6, 3 }), 6);
        var target = randint(3, 13, new long[] { 2, 5 });
        var changed = source.clone();
        changed[1, 3..] = randint(3, 13, new long[] { 3 });
        var (a, weights) = model.Decode(target, model.Encode(source, keep), keep);
        var (b, _) = model.Decode(target, model.Encode(changed, keep), keep);
        Assert.True(Difference.MaxAbs(a, b) < 1e-6f);
        Assert.Equal(0f, weights[1].narrow(-1, 3, 3).abs().max().item<float>());
        // forward infers the same mask from the padding token.
        var padded = source.clone();
        padded[1, 3..] = Pad;
        Assert.True(Difference.MaxAbs(model.forward(padded, target), model.Decode(target, model.Encode(padded, keep), keep).Logits) < 1e-6f);
    }

    /// <summary>Random symbol strings of 2–6 symbols: source, target input (start + symbols), target output (symbols + end).</summary>
    static (Tensor Source, Tensor TargetInput, Tensor TargetOutput) CopyBatch(int batch, Random random)
    {
        var source = new long[batch, Longest];
        var input = new long[batch, Longest + 1];
        var output = new long[batch, Longest + 1];
        for (int b = 0; b < batch; b++)
        {
            int length = random.Next(2, Longest + 1);
            input[b, 0] = Start;
            for (int t = 0; t < length; t++)
            {
                long symbol = FirstSymbol + random.Next(Symbols);
                source[b, t] = symbol;
                input[b, t + 1] = symbol;
                output[b, t] = symbol;
            }
            output[b, length] = End;
        }
        return (tensor(source), tensor(input), tensor(output));
    }

    [Fact]
    public void It_learns_to_copy_short_sequences()
    {
        manual_seed(84);
        var random = new Random(84);
        using var model = new TransformerSeq2Seq(Tiny);
        using var loss = new LabelSmoothingLoss(0.1, ignoreIndex: Pad);
        var optimizer = optim.Adam(model.parameters(), lr: 3e-3, beta1: 0.9, beta2: 0.98);
        var clock = Stopwatch.StartNew();
        for (int step = 0; step < 300; step++)
        {
            using var scope = NewDisposeScope();
            var (source, input, output) = CopyBatch(32, random);
            optimizer.zero_grad();
            var value = loss.forward(model.forward(source, input), output);
            value.backward();
            optimizer.step();
        }
        using var testScope = NewDisposeScope();
        var (testSource, _, testOutput) = CopyBatch(64, new Random(12345));
        using var decoded = model.GreedyDecode(testSource, Start, End, maxTokens: Longest + 1);
        var produced = decoded.Tokens.narrow(1, 1, decoded.Tokens.shape[1] - 1);
        var expected = testOutput.narrow(1, 0, produced.shape[1]);
        var exact = produced.eq(expected).all(1).to_type(ScalarType.Float32).mean().item<float>();
        Assert.True(exact >= 0.9f, $"{exact:P0} of sequences copied exactly after 300 steps ({clock.Elapsed.TotalSeconds:F1} s)");
    }
}
