using TorchSharp;
using TransformersBook.Training;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>Label smoothing against a hand-computed value and TorchSharp's cross_entropy(label_smoothing).</summary>
[Collection(ProcessState.Name)]
public class LabelSmoothingLossTests
{
    public LabelSmoothingLossTests() => TestSetup.Initialize();

    [Fact]
    public void Two_classes_by_hand()
    {
        using var scope = NewDisposeScope();
        // Logits (0, ln 3): p = (1/4, 3/4). True class 1, ε = 0.2: targets (0.1, 0.9).
        // Loss = −0.1·ln(1/4) − 0.9·ln(3/4).
        var logits = tensor(new float[] { 0f, (float)Math.Log(3) }).reshape(1, 2);
        using var loss = new LabelSmoothingLoss(0.2);
        double expected = -0.1 * Math.Log(0.25) - 0.9 * Math.Log(0.75);
        Assert.Equal(expected, loss.forward(logits, tensor(new long[] { 1 })).item<float>(), 5);
    }

    [Fact]
    public void It_equals_torch_cross_entropy_with_label_smoothing_and_ignored_padding()
    {
        using var scope = NewDisposeScope();
        manual_seed(51);
        var logits = randn(4, 7, 11) * 2;
        var targets = randint(1, 11, new long[] { 4, 7 });
        targets[0, 5] = tensor(0L);
        targets[2, 6] = tensor(0L);
        using var loss = new LabelSmoothingLoss(0.1, ignoreIndex: 0);
        var ours = loss.forward(logits, targets);
        var theirs = nn.functional.cross_entropy(logits.reshape(-1, 11), targets.reshape(-1), ignore_index: 0, label_smoothing: 0.1);
        Assert.Equal(theirs.item<float>(), ours.item<float>(), 5);
    }

    [Fact]
    public void Without_smoothing_it_is_cross_entropy_and_with_nothing_counted_it_is_zero()
    {
        using var scope = NewDisposeScope();
        manual_seed(52);
        var logits = randn(5, 3);
        var targets = randint(0, 3, new long[] { 5 });
        using var plain = new LabelSmoothingLoss(0.0);
        Assert.Equal(nn.functional.cross_entropy(logits, targets).item<float>(), plain.forward(logits, targets).item<float>(), 5);
        Assert.Equal(0f, plain.forward(logits, full(5, -100L, dtype: ScalarType.Int64)).item<float>());
        Assert.Throws<ArgumentOutOfRangeException>(() => new LabelSmoothingLoss(1.5));
    }
}
