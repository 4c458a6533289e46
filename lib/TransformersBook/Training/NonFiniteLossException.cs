using System.Globalization;

namespace TransformersBook.Training;

/// <summary>
/// The loss became NaN or infinite. Training stops at once, because every later step would only spread the NaN
/// through the weights; the message names the step and the value and says what usually causes it.
/// </summary>
public sealed class NonFiniteLossException : Exception
{
    public NonFiniteLossException(int step, double loss, double learningRate, double? clipGradNorm)
        : base(Describe(step, loss, learningRate, clipGradNorm))
    {
        Step = step;
        Loss = loss;
        LearningRate = learningRate;
    }

    /// <summary>The step whose loss was not finite (1-based).</summary>
    public int Step { get; }

    /// <summary>The loss value: NaN, +∞ or −∞.</summary>
    public double Loss { get; }

    public double LearningRate { get; }

    static string Describe(int step, double loss, double learningRate, double? clip)
    {
        string value = double.IsNaN(loss) ? "NaN" : loss > 0 ? "+Infinity" : "-Infinity";
        string clipping = clip is null
            ? "clip gradients (TrainerOptions.ClipGradNorm = 1.0)"
            : FormattableString.Invariant($"clip gradients harder (ClipGradNorm is {clip.Value:g3})");
        string rate = learningRate.ToString("g3", CultureInfo.InvariantCulture);
        return $"The loss at step {step} is {value} (learning rate {rate}). Usual causes and fixes: a learning rate " +
               $"too high for this model (lower it, or warm it up); exploding gradients ({clipping}); or bad inputs (NaN or " +
               "infinite values in a batch, log of 0 or division by 0 in the loss, labels outside the number of classes).";
    }
}
