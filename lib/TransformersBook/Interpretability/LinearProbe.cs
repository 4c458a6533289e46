using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Interpretability;

/// <summary>
/// A linear probe (Alain &amp; Bengio, 2017): multinomial logistic regression trained on frozen activations to read out
/// a property. Features are standardised with the training set's mean and deviation; training is full-batch Adam on
/// the cross-entropy with a small weight decay. High accuracy says the property is linearly decodable — not that the
/// model uses it, and not that the probe did not learn the task itself (see <see cref="ControlTask"/>).
/// </summary>
public sealed class LinearProbe
{
    readonly Tensor mean;
    readonly Tensor deviation;
    readonly Tensor weight;
    readonly Tensor bias;

    LinearProbe(Tensor mean, Tensor deviation, Tensor weight, Tensor bias) =>
        (this.mean, this.deviation, this.weight, this.bias) = (mean, deviation, weight, bias);

    /// <summary>Fits a probe.</summary>
    /// <param name="features">(n, d) activations (detached).</param>
    /// <param name="labels">(n) class ids 0 … classes−1.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="steps">Full-batch Adam steps.</param>
    /// <param name="learningRate">Adam's step size.</param>
    /// <param name="weightDecay">L2 penalty on the weights.</param>
    public static LinearProbe Fit(Tensor features, Tensor labels, int classes, int steps = 300, double learningRate = 0.05, double weightDecay = 1e-3)
    {
        var x = features.detach().to_type(ScalarType.Float32);
        var mean = x.mean(new long[] { 0 }, keepdim: true).detach();
        var deviation = (x.std(new long[] { 0 }, keepdim: true) + 1e-6).detach();
        var standardised = ((x - mean) / deviation).detach();
        var w = new Parameter(zeros(x.shape[1], classes, device: x.device));
        var b = new Parameter(zeros(classes, device: x.device));
        using var adam = optim.Adam(new[] { w, b }, lr: learningRate, weight_decay: weightDecay);
        var target = labels.to(x.device).to_type(ScalarType.Int64);
        for (int step = 0; step < steps; step++)
        {
            using var stepScope = NewDisposeScope();
            adam.zero_grad();
            var loss = nn.functional.cross_entropy(standardised.matmul(w) + b, target);
            loss.backward();
            adam.step();
        }
        return new LinearProbe(mean, deviation, w.detach().clone(), b.detach().clone());
    }

    /// <summary>(n, classes) logits of the probe.</summary>
    public Tensor Logits(Tensor features) => ((features.to_type(ScalarType.Float32) - mean) / deviation).matmul(weight) + bias;

    /// <summary>(n) predicted classes.</summary>
    public Tensor Predict(Tensor features) => Logits(features).argmax(-1);

    /// <summary>Fraction of rows whose predicted class equals the label.</summary>
    public double Accuracy(Tensor features, Tensor labels)
    {
        using var scope = NewDisposeScope();
        return Predict(features).eq(labels.to(weight.device)).to_type(ScalarType.Float64).mean().item<double>();
    }
}
