using TorchSharp;
using TransformersBook.Evaluation;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>Reliability bins, ECE and temperature scaling against hand-computed values.</summary>
public class CalibrationTests
{
    public CalibrationTests() => TestSetup.Initialize();

    [Fact]
    public void EceOfAHandExample()
    {
        // Two bins of width 0.5: {0.3 (right)} → |1 − 0.3| = 0.7; {0.9, 0.8 (right), 0.7 (wrong)} → acc 2/3, conf 0.8.
        var confidences = new[] { 0.3, 0.9, 0.8, 0.7 };
        var correct = new[] { true, true, true, false };
        double expected = 0.25 * 0.7 + 0.75 * Math.Abs(2.0 / 3 - 0.8);
        Assert.Equal(expected, Calibration.ExpectedCalibrationError(confidences, correct, bins: 2), 12);
        var bins = Calibration.Bins(confidences, correct, 2);
        Assert.Equal(new[] { 1, 3 }, bins.Select(b => b.Count));
    }

    [Fact]
    public void ConfidenceOnABinEdgeFallsInTheLowerBin() =>
        Assert.Equal(new[] { 1, 0 }, Calibration.Bins(new[] { 0.5 }, new[] { true }, 2).Select(b => b.Count));

    [Fact]
    public void PerfectlyCalibratedPredictionsHaveZeroEce()
    {
        var confidences = Enumerable.Repeat(0.75, 8).ToArray();
        var correct = new[] { true, true, true, false, true, true, true, false };
        Assert.Equal(0.0, Calibration.ExpectedCalibrationError(confidences, correct), 12);
    }

    [Fact]
    public void TemperatureRecoversTheScaleOfOverconfidentLogits()
    {
        // Labels drawn from softmax(z); the model reports 3z: the NLL-optimal temperature is close to 3.
        var generator = new torch.Generator(7);
        var z = randn(new long[] { 20000, 4 }, generator: generator, dtype: ScalarType.Float64);
        var labels = multinomial(z.softmax(1), 1, generator: generator).squeeze(1);
        var logits = 3 * z;
        double t = Calibration.FitTemperature(logits, labels);
        Assert.InRange(t, 2.8, 3.2);
        Assert.True(Calibration.NegativeLogLikelihood(logits, labels, t) < Calibration.NegativeLogLikelihood(logits, labels));
        Assert.True(Calibration.ExpectedCalibrationErrorOfLogits(logits, labels, t) < Calibration.ExpectedCalibrationErrorOfLogits(logits, labels));
        // The temperature never changes the predicted class.
        Assert.True(logits.argmax(1).eq((logits / t).argmax(1)).all().item<bool>());
    }
}
