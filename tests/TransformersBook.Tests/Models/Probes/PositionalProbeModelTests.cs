using TransformersBook.Attention;
using TransformersBook.Models;
using TransformersBook.Positional;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

[Collection(ProcessState.Name)]
public class PositionalProbeModelTests
{
    public PositionalProbeModelTests() => TestSetup.Initialize();

    static PositionalProbeConfig Config(PositionScheme scheme) =>
        new(VocabularySize: 11, MaxLength: 24, Layers: 2, Heads: 4, Width: 32, scheme, MaxRelativeDistance: 5);

    public static TheoryData<PositionScheme> Schemes => new(Enum.GetValues<PositionScheme>());

    [Theory]
    [MemberData(nameof(Schemes))]
    public void Every_scheme_gives_logits_per_position_and_stays_causal(PositionScheme scheme)
    {
        manual_seed(1);
        var model = new PositionalProbeModel(Config(scheme));
        model.eval();
        using var tokens = randint(0, 11, new long[] { 3, 12 });
        using var changed = tokens.clone();
        changed[.., 7] = (changed[.., 7] + 1) % 11;
        using var noGrad = no_grad();
        using var logits = model.forward(tokens);
        using var altered = model.forward(changed);
        Assert.Equal(new long[] { 3, 12, 11 }, logits.shape);
        Assert.True(logits[.., ..7].allclose(altered[.., ..7], rtol: 0, atol: 1e-6));
        Assert.False(logits[.., 7..].allclose(altered[.., 7..], rtol: 0, atol: 1e-4));
    }

    [Fact]
    public void Without_positions_the_attention_is_the_librarys_causal_self_attention()
    {
        manual_seed(2);
        var probe = new PositionalProbeAttention(Config(PositionScheme.None));
        var library = new CausalSelfAttention(width: 32, heads: 4);
        library.load_state_dict(probe.state_dict());
        using var x = randn(2, 9, 32);
        using var noGrad = no_grad();
        using var mine = probe.forward(x);
        using var theirs = library.forward(x);
        Assert.True(mine.allclose(theirs, rtol: 1e-4, atol: 1e-5));
    }

    [Theory]
    [InlineData(PositionScheme.Alibi)]
    [InlineData(PositionScheme.Relative)]
    [InlineData(PositionScheme.Rotary)]
    public void Position_aware_attention_equals_torchs_attention_with_the_same_bias_or_rotation(PositionScheme scheme)
    {
        manual_seed(3);
        var config = Config(scheme);
        var probe = new PositionalProbeAttention(config);
        using var x = randn(2, 9, 32);
        using var noGrad = no_grad();
        // Q, K, V from the probe's own projection, then TorchSharp's attention with an explicit float mask.
        var parameters = probe.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var qkv = nn.functional.linear(x, parameters["qkv.weight"], parameters["qkv.bias"]).view(2, 9, 3, 4, 8).permute(2, 0, 3, 1, 4);
        Tensor q = qkv[0], k = qkv[1], v = qkv[2];
        var causal = full(9, 9, double.NegativeInfinity).triu(1);
        Tensor mask = causal;
        if (scheme == PositionScheme.Alibi) mask = new AlibiBias(4).Bias(9, 9) + causal;
        if (scheme == PositionScheme.Relative)
        {
            var relative = new RelativePositionBias(4, 5);
            relative.Weight.copy_(parameters["relative.biases.weight"]);
            mask = relative.Bias(9, 9) + causal;
        }
        if (scheme == PositionScheme.Rotary)
        {
            var rope = new RotaryEmbedding(8);
            q = rope.forward(q);
            k = rope.forward(k);
        }
        var heads = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: mask.unsqueeze(0));
        var expected = nn.functional.linear(heads.transpose(1, 2).reshape(2, 9, 32), parameters["output.weight"], parameters["output.bias"]);
        using var actual = probe.forward(x);
        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-5), $"max |Δ| = {(actual - expected).abs().max().item<float>()}");
    }

    [Fact]
    public void Head_weights_are_causal_distributions()
    {
        manual_seed(4);
        var model = new PositionalProbeModel(Config(PositionScheme.Alibi));
        using var tokens = randint(0, 11, new long[] { 2, 10 });
        using var noGrad = no_grad();
        using var weights = model.HeadWeights(tokens, layer: 1);
        Assert.Equal(new long[] { 2, 4, 10, 10 }, weights.shape);
        Assert.True(weights.sum(-1).allclose(ones(2, 4, 10), atol: 1e-5));
        Assert.Equal(0f, weights.triu(1).abs().max().item<float>());
    }

    [Fact]
    public void The_learned_table_covers_max_length_and_nothing_longer()
    {
        var model = new PositionalProbeModel(Config(PositionScheme.Learned));
        Assert.NotNull(model.LearnedPositions);
        Assert.Equal(new long[] { 24, 32 }, model.LearnedPositions!.Weight.shape);
        using var noGrad = no_grad();
        using var fits = model.forward(zeros(1, 24, dtype: ScalarType.Int64));
        Assert.Throws<ArgumentException>(() => model.forward(zeros(1, 25, dtype: ScalarType.Int64)));
        Assert.Null(new PositionalProbeModel(Config(PositionScheme.Rotary)).LearnedPositions);
    }
}
