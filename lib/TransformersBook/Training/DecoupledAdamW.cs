using static TorchSharp.torch;

namespace TransformersBook.Training;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov and Hutter, 2019), written out so that every quantity can be read:
/// for each parameter θ with gradient g, at step t (from 1),
/// θ ← θ·(1 − η·λ); m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²;
/// θ ← θ − η · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε).
/// The order of operations is PyTorch's <c>torch.optim.AdamW</c> (and TorchSharp's), so the two agree to float rounding.
/// </summary>
public sealed class DecoupledAdamW : IDisposable
{
    readonly Tensor[] parameters;
    readonly Tensor[] firstMoments;
    readonly Tensor[] secondMoments;

    /// <param name="parameters">The parameters to update (their <c>grad</c> is read at each step).</param>
    /// <param name="learningRate">η, changed between steps through <see cref="LearningRate"/>.</param>
    /// <param name="beta1">β₁, the decay of the mean of the gradients.</param>
    /// <param name="beta2">β₂, the decay of the mean of the squared gradients.</param>
    /// <param name="epsilon">ε, added to the root of the second moment.</param>
    /// <param name="weightDecay">λ: each step multiplies θ by 1 − η·λ, apart from the gradient.</param>
    public DecoupledAdamW(IEnumerable<Tensor> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0.01)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        this.parameters = parameters.ToArray();
        firstMoments = this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        secondMoments = this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        (LearningRate, Beta1, Beta2, Epsilon, WeightDecay) = (learningRate, beta1, beta2, epsilon, weightDecay);
    }

    /// <summary>η for the next step.</summary>
    public double LearningRate { get; set; }

    /// <summary>β₁.</summary>
    public double Beta1 { get; }

    /// <summary>β₂.</summary>
    public double Beta2 { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>λ, the decoupled weight decay.</summary>
    public double WeightDecay { get; }

    /// <summary>Steps taken so far (t after the last step).</summary>
    public int Steps { get; private set; }

    /// <summary>m for each parameter, in the order given.</summary>
    public IReadOnlyList<Tensor> FirstMoments => firstMoments;

    /// <summary>v for each parameter, in the order given.</summary>
    public IReadOnlyList<Tensor> SecondMoments => secondMoments;

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void Step()
    {
        Steps++;
        double firstCorrection = 1 - Math.Pow(Beta1, Steps);
        double secondCorrectionRoot = Math.Sqrt(1 - Math.Pow(Beta2, Steps));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        for (int i = 0; i < parameters.Length; i++)
        {
            var gradient = parameters[i].grad;
            if (gradient is null) continue;
            parameters[i].mul_(1 - LearningRate * WeightDecay);
            firstMoments[i].mul_(Beta1).add_(gradient, alpha: 1 - Beta1);
            secondMoments[i].mul_(Beta2).addcmul_(gradient, gradient, value: 1 - Beta2);
            var denominator = (secondMoments[i].sqrt() / secondCorrectionRoot).add_(Epsilon);
            parameters[i].addcdiv_(firstMoments[i], denominator, value: -LearningRate / firstCorrection);
        }
    }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGrad()
    {
        foreach (var p in parameters) p.grad?.zero_();
    }

    /// <summary>Frees the moment tensors.</summary>
    public void Dispose()
    {
        foreach (var t in firstMoments.Concat(secondMoments)) t.Dispose();
    }
}
