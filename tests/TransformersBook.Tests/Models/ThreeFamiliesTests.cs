using TorchSharp;
using TransformersBook.Attention;
using TransformersBook.Models;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>
/// The pieces of "Three families": the encoder-only model (its size, its bidirectional attention, its padding mask and
/// its masked-LM loss), the prefix-LM mask, and the 6N FLOP accounting.
/// </summary>
[Collection(ProcessState.Name)]
public class ThreeFamiliesTests
{
    public ThreeFamiliesTests() => TestSetup.Initialize();

    static readonly EncoderOnlyConfig Tiny = new(VocabularySize: 30, ContextLength: 16, Layers: 2, Heads: 2, Width: 16, FeedForwardWidth: 64, PaddingId: 0);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Encoder_only_counted_parameters_match_the_formula(bool preNorm)
    {
        var config = Tiny with { PreNorm = preNorm, Layers = 3, FeedForwardWidth = 40 };
        using var model = new EncoderOnly(config);
        Assert.Equal(config.ParameterCount, model.parameters().Sum(p => p.numel()));
        // Hand-computed for d = 16, d_ff = 40, V = 30, n_ctx = 16, L = 3.
        long layer = 4 * 256 + 4 * 16 + 2 * 16 * 40 + 40 + 16 + 4 * 16;
        Assert.Equal(30 * 16 + 16 * 16 + 32 + 3 * layer + (preNorm ? 32 : 0) + 30, config.ParameterCount);
    }

    [Fact]
    public void Encoder_only_positions_see_the_tokens_after_them()
    {
        manual_seed(5);
        using var model = new EncoderOnly(Tiny);
        model.eval();
        using var x = randint(1, 30, new long[] { 2, 12 });
        using var changed = x.clone();
        changed[.., 8] = (changed[.., 8] % 29) + 1;
        using var a = model.forward(x);
        using var b = model.forward(changed);
        // Unlike a GPT, every position depends on position 8, the earlier ones included.
        Assert.True((a[.., ..8] - b[.., ..8]).abs().max().item<float>() > 1e-4f);
    }

    [Fact]
    public void Encoder_only_ignores_padding()
    {
        manual_seed(6);
        using var model = new EncoderOnly(Tiny);
        model.eval();
        using var x = randint(1, 30, new long[] { 1, 10 });
        using var padded = cat(new[] { x, zeros(1, 4, dtype: ScalarType.Int64) }, dim: 1);
        using var a = model.Encode(x);
        using var b = model.Encode(padded);
        Assert.True((a - b[.., ..10]).abs().max().item<float>() < 1e-5f);
        Assert.Null(new EncoderOnly(Tiny with { PaddingId = null }).AttentionMask(x));
    }

    [Fact]
    public void Masked_lm_loss_counts_only_the_asked_positions_and_starts_near_ln_V()
    {
        manual_seed(7);
        using var model = new EncoderOnly(Tiny);
        model.eval();
        using var x = randint(1, 30, new long[] { 4, 16 });
        using var targets = full(4, 16, -100L, dtype: ScalarType.Int64);
        targets[.., 3] = x[.., 3];
        using var loss = model.Loss(x, targets);
        using var logits = model.forward(x);
        using var expected = nn.functional.cross_entropy(logits[.., 3], x[.., 3]);
        Assert.Equal(expected.item<float>(), loss.item<float>(), 4);
        Assert.InRange(loss.item<float>(), Math.Log(30) - 0.3, Math.Log(30) + 0.3);
    }

    [Fact]
    public void Prefix_mask_is_full_over_the_prefix_and_causal_after_it()
    {
        using var mask = PrefixLanguageModelMask.Create(prefixLength: 3, length: 6);
        for (int i = 0; i < 6; i++)
            for (int j = 0; j < 6; j++)
                Assert.Equal(j <= i || j < 3, mask[i, j].item<bool>());
        using var causal = AttentionMasks.Causal(6);
        using var none = PrefixLanguageModelMask.Create(0, 6);
        Assert.Equal(new long[] { 6, 6 }, none.shape);
        Assert.Equal(0L, none.ne(causal).sum().item<long>());
        using var whole = PrefixLanguageModelMask.Create(6, 6);
        Assert.Equal(36L, whole.sum().item<long>());
        Assert.Throws<ArgumentOutOfRangeException>(() => PrefixLanguageModelMask.Create(7, 6));
    }

    [Fact]
    public void Flops_follow_kaplan_et_al()
    {
        // GPT-2 small: N = 85,056,000 non-embedding parameters (12 layers, d = 768), Kaplan's ≈ 85 M.
        var gpt2 = new GptConfig(50257, 1024, 12, 12, 768);
        Assert.Equal(124_439_808L, gpt2.ParameterCount);
        long n = TrainingFlops.NonEmbeddingParameters(gpt2);
        Assert.Equal(12L * (12 * 768 * 768 + 13 * 768) + 2 * 768, n);
        Assert.Equal(6.0 * n + 6.0 * 12 * 1024 * 768, TrainingFlops.TrainingPerToken(n, 12, 1024, 768));
        Assert.Equal(2.0 * n + 2.0 * 12 * 1024 * 768, TrainingFlops.ForwardPerToken(n, 12, 1024, 768));
        double share = TrainingFlops.AttentionShare(n, 12, 1024, 768);
        Assert.InRange(share, 0.09, 0.11);
        Assert.True(TrainingFlops.AttentionShare(n, 12, 8192, 768) > share);
    }

    [Fact]
    public void Encoder_only_learns_to_fill_a_gap_from_its_neighbours()
    {
        // Each sequence repeats one token; two positions are replaced by a mask token (id 29) and must be recovered,
        // which only attention to the other positions can do.
        manual_seed(8);
        var config = Tiny with { PaddingId = null };
        using var model = new EncoderOnly(config);
        using var optimizer = optim.AdamW(model.parameters(), lr: 3e-3);
        double first = 0, last = 0;
        for (int step = 0; step < 150; step++)
        {
            using var scope = NewDisposeScope();
            var tokens = randint(0, 29, new long[] { 16, 1 }).expand(16, 8).contiguous();
            var input = tokens.clone();
            input[.., 2] = 29;
            input[.., 5] = 29;
            var targets = full(16, 8, -100L, dtype: ScalarType.Int64);
            targets[.., 2] = tokens[.., 2];
            targets[.., 5] = tokens[.., 5];
            optimizer.zero_grad();
            var loss = model.Loss(input, targets);
            loss.backward();
            optimizer.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.InRange(first, Math.Log(30) - 0.5, Math.Log(30) + 0.5);
        Assert.True(last < 0.8, $"loss {first:F3} → {last:F3}");
    }
}
