using TorchSharp;
using TransformersBook.Models;
using TransformersBook.StateSpace;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

[Collection(ProcessState.Name)]
public class SequenceMixerModelTests
{
    public SequenceMixerModelTests() => TestSetup.Initialize();

    public static TheoryData<SequenceMixerKind> Kinds => new(Enum.GetValues<SequenceMixerKind>());

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_mixer_gives_logits_that_depend_only_on_earlier_tokens(SequenceMixerKind kind)
    {
        manual_seed(21);
        using var model = new SequenceMixerModel(kind, vocabularySize: 11, width: 16, layers: 2, maxLength: 20);
        model.eval();
        var tokens = randint(0, 11, new long[] { 3, 20 });
        var changed = tokens.clone();
        changed[.., 13..] = randint(0, 11, new long[] { 3, 7 });
        using var noGrad = no_grad();
        var y = model.forward(tokens);
        var y2 = model.forward(changed);
        Assert.Equal(new long[] { 3, 20, 11 }, y.shape);
        Assert.True((y.narrow(1, 0, 13) - y2.narrow(1, 0, 13)).abs().max().item<float>() < 1e-5f, $"{kind} looked ahead");
        Assert.True((y.narrow(1, 13, 7) - y2.narrow(1, 13, 7)).abs().max().item<float>() > 1e-4f, $"{kind} ignored the later tokens");
    }

    [Fact]
    public void The_s4d_mixer_is_project_convolve_gelu_project()
    {
        manual_seed(4);
        using var mixer = new DiagonalStateSpaceMixer(width: 6, stateSize: 4);
        var p = mixer.state_dict();
        var x = randn(2, 9, 6);
        using var noGrad = no_grad();
        var inner = nn.functional.linear(x, p["inputProjection.weight"], p["inputProjection.bias"]);
        var expected = nn.functional.linear(nn.functional.gelu(mixer.StateSpace.forward(inner)), p["outputProjection.weight"], p["outputProjection.bias"]);
        Assert.True((mixer.forward(x) - expected).abs().max().item<float>() < 1e-6f);
    }

    [Fact]
    public void Only_attention_gets_position_embeddings_and_too_long_inputs_are_refused()
    {
        using var attention = new SequenceMixerModel(SequenceMixerKind.Attention, 10, 8, 1, maxLength: 12);
        using var hyena = new SequenceMixerModel(SequenceMixerKind.Hyena, 10, 8, 1, maxLength: 12);
        Assert.Contains(attention.named_parameters(), p => p.name.StartsWith("positionEmbedding"));
        Assert.DoesNotContain(hyena.named_parameters(), p => p.name.StartsWith("positionEmbedding"));
        var error = Assert.Throws<ArgumentException>(() => hyena.forward(zeros(1, 13, dtype: ScalarType.Int64)));
        Assert.Contains("at most 12", error.Message);
    }
}
