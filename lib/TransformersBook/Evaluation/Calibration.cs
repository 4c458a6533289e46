using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Evaluation;

/// <summary>
/// Calibration of a classifier (Guo et al., 2017): the reliability diagram, the expected calibration error over
/// equal-width confidence bins, and temperature scaling — one scalar T dividing the logits, fitted on held-out data
/// by minimising the negative log-likelihood. T leaves every argmax, and so the accuracy, unchanged.
/// </summary>
public static class Calibration
{
    /// <summary>The equal-width bins (m−1)/M &lt; confidence ≤ m/M of a reliability diagram.</summary>
    public static IReadOnlyList<ReliabilityBin> Bins(IReadOnlyList<double> confidences, IReadOnlyList<bool> correct, int bins = 15)
    {
        ArgumentNullException.ThrowIfNull(confidences);
        ArgumentNullException.ThrowIfNull(correct);
        if (confidences.Count != correct.Count) throw new ArgumentException("One correctness flag per confidence.", nameof(correct));
        var count = new int[bins];
        var right = new double[bins];
        var sum = new double[bins];
        for (int i = 0; i < confidences.Count; i++)
        {
            int m = Math.Clamp((int)Math.Ceiling(confidences[i] * bins) - 1, 0, bins - 1);
            count[m]++;
            sum[m] += confidences[i];
            if (correct[i]) right[m]++;
        }
        return Enumerable.Range(0, bins).Select(m => new ReliabilityBin((double)m / bins, (double)(m + 1) / bins, count[m],
            count[m] > 0 ? right[m] / count[m] : 0, count[m] > 0 ? sum[m] / count[m] : 0)).ToArray();
    }

    /// <summary>ECE = Σₘ |Bₘ|/n · |accuracy(Bₘ) − confidence(Bₘ)|.</summary>
    public static double ExpectedCalibrationError(IReadOnlyList<double> confidences, IReadOnlyList<bool> correct, int bins = 15)
    {
        var b = Bins(confidences, correct, bins);
        int n = confidences.Count;
        return b.Sum(x => (double)x.Count / n * Math.Abs(x.Accuracy - x.Confidence));
    }

    /// <summary>ECE of logits (n, classes) and labels (n): confidence = the largest softmax probability.</summary>
    public static double ExpectedCalibrationErrorOfLogits(Tensor logits, Tensor labels, double temperature = 1.0, int bins = 15)
    {
        var (confidences, correct) = ConfidenceAndCorrect(logits, labels, temperature);
        return ExpectedCalibrationError(confidences, correct, bins);
    }

    /// <summary>The top-class probability of softmax(logits / T) and whether the top class is the label.</summary>
    public static (double[] Confidence, bool[] Correct) ConfidenceAndCorrect(Tensor logits, Tensor labels, double temperature = 1.0)
    {
        using var scope = NewDisposeScope();
        var probabilities = (logits.cpu().to_type(ScalarType.Float64) / temperature).softmax(1);
        var (top, predicted) = probabilities.max(1);
        var confidence = top.data<double>().ToArray();
        var correct = predicted.eq(labels.cpu()).data<bool>().ToArray();
        return (confidence, correct);
    }

    /// <summary>Mean negative log-likelihood of the labels under softmax(logits / T).</summary>
    public static double NegativeLogLikelihood(Tensor logits, Tensor labels, double temperature = 1.0)
    {
        using var scope = NewDisposeScope();
        return nn.functional.cross_entropy(logits.cpu().to_type(ScalarType.Float64) / temperature, labels.cpu()).item<double>();
    }

    /// <summary>
    /// The temperature minimising the NLL on (logits, labels). The NLL is convex in 1/T, so a golden-section search over
    /// log(1/T) in [log 0.01, log 100] finds the minimum.
    /// </summary>
    public static double FitTemperature(Tensor logits, Tensor labels, int iterations = 80)
    {
        double lo = Math.Log(0.01), hi = Math.Log(100);
        double ratio = (Math.Sqrt(5) - 1) / 2;
        double Loss(double u) => NegativeLogLikelihood(logits, labels, Math.Exp(-u));
        double a = hi - ratio * (hi - lo), b = lo + ratio * (hi - lo);
        double fa = Loss(a), fb = Loss(b);
        for (int i = 0; i < iterations; i++)
        {
            if (fa < fb) { hi = b; b = a; fb = fa; a = hi - ratio * (hi - lo); fa = Loss(a); }
            else { lo = a; a = b; fa = fb; b = lo + ratio * (hi - lo); fb = Loss(b); }
        }
        return Math.Exp(-(lo + hi) / 2);
    }
}
