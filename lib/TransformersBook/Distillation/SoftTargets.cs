using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Distillation;

/// <summary>
/// Soft targets at temperature T (Hinton, Vinyals and Dean, 2015): the teacher's distribution
/// q_t = softmax(z_t / T) is the target of the student's q_s = softmax(z_s / T), and the loss is
/// T² · KL(q_t ‖ q_s), averaged over positions. Its gradient with respect to the student's logits is
/// T · (q_s − q_t) / N; the factor T² keeps that gradient's scale the same at every temperature, where the bare
/// KL's would fall as 1/T².
/// </summary>
public static class SoftTargets
{
    /// <summary>The soft-target loss: T² · KL(softmax(z_t/T) ‖ softmax(z_s/T)), mean over positions.</summary>
    /// <param name="studentLogits">(..., vocabulary) the student's logits z_s.</param>
    /// <param name="teacherLogits">(..., vocabulary) the teacher's logits z_t, the same shape; no gradient flows into them.</param>
    /// <param name="temperature">T &gt; 0.</param>
    /// <param name="scaleByTemperatureSquared">Multiply by T² (true, as Hinton et al. do) or leave the bare KL (false).</param>
    /// <returns>A scalar.</returns>
    public static Tensor Loss(Tensor studentLogits, Tensor teacherLogits, double temperature, bool scaleByTemperatureSquared = true)
    {
        if (temperature <= 0) throw new ArgumentOutOfRangeException(nameof(temperature), "the temperature must be positive.");
        if (!studentLogits.shape.SequenceEqual(teacherLogits.shape))
            throw new ArgumentException("student and teacher logits must have the same shape.", nameof(teacherLogits));
        using var scope = NewDisposeScope();
        long vocabulary = studentLogits.shape[^1];
        var studentLog = (studentLogits.reshape(-1, vocabulary) / temperature).log_softmax(-1);
        var teacherLog = (teacherLogits.detach().reshape(-1, vocabulary) / temperature).log_softmax(-1);
        var perPosition = (teacherLog.exp() * (teacherLog - studentLog)).sum(dim: -1);
        var loss = perPosition.mean();
        if (scaleByTemperatureSquared) loss = loss * (temperature * temperature);
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The gradient of <see cref="Loss"/> with respect to the student's logits, derived by hand:
    /// T² · (q_s − q_t) / (T · N) = T · (q_s − q_t) / N with N the number of positions (without the T² factor,
    /// (q_s − q_t) / (T · N)).
    /// </summary>
    /// <param name="studentLogits">(..., vocabulary) the student's logits z_s.</param>
    /// <param name="teacherLogits">(..., vocabulary) the teacher's logits z_t.</param>
    /// <param name="temperature">T &gt; 0.</param>
    /// <param name="scaleByTemperatureSquared">Whether the loss includes the factor T².</param>
    /// <returns>The gradient, shaped like <paramref name="studentLogits"/>.</returns>
    public static Tensor Gradient(Tensor studentLogits, Tensor teacherLogits, double temperature, bool scaleByTemperatureSquared = true)
    {
        if (temperature <= 0) throw new ArgumentOutOfRangeException(nameof(temperature), "the temperature must be positive.");
        using var scope = NewDisposeScope();
        long vocabulary = studentLogits.shape[^1];
        long positions = studentLogits.numel() / vocabulary;
        var difference = (studentLogits.detach() / temperature).softmax(-1) - (teacherLogits.detach() / temperature).softmax(-1);
        double scale = (scaleByTemperatureSquared ? temperature * temperature : 1.0) / (temperature * positions);
        return (difference * scale).MoveToOuterDisposeScope();
    }
}
