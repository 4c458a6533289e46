using TransformersBook.Plotting;

namespace TransformersBook.Training;

/// <summary>
/// The learning rate as a function of the step (1 for the first update). The trainer sets it on every parameter
/// group before each step. Three schedules cover the book: constant; linear warmup then cosine decay (warmup as in
/// Goyal et al., 2017; cosine as in Loshchilov and Hutter, SGDR, 2017); and the inverse square root with warmup of
/// "Attention Is All You Need" (Vaswani et al., 2017, eq. 3).
/// </summary>
public abstract record LearningRateSchedule
{
    /// <summary>The learning rate for update number <paramref name="step"/> (1-based).</summary>
    public abstract double At(int step);

    /// <summary>The same rate at every step.</summary>
    public static LearningRateSchedule Constant(double rate) => new ConstantLearningRate(rate);

    /// <summary>Linear warmup from 0 to <paramref name="peak"/>, then cosine decay to <paramref name="minimum"/> at <paramref name="totalSteps"/>.</summary>
    public static LearningRateSchedule WarmupCosine(double peak, int warmupSteps, int totalSteps, double minimum = 0) =>
        new WarmupCosineLearningRate(peak, warmupSteps, totalSteps, minimum);

    /// <summary>lrate = scale · d_model^−0.5 · min(step^−0.5, step · warmup_steps^−1.5) (Vaswani et al., 2017).</summary>
    public static LearningRateSchedule InverseSqrt(int modelDimension, int warmupSteps, double scale = 1.0) =>
        new InverseSqrtLearningRate(modelDimension, warmupSteps, scale);

    /// <summary>The schedule drawn over <paramref name="steps"/> updates.</summary>
    public Figure Chart(int steps, string? title = null)
    {
        var x = Enumerable.Range(1, steps).Select(s => (double)s).ToArray();
        return Plots.Line(x, x.Select(s => At((int)s)), name: ToString(), title: title ?? "Learning-rate schedule", xTitle: "step", yTitle: "learning rate");
    }

    /// <summary>Rejects a step before the first.</summary>
    protected static void RequireStep(int step)
    {
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), step, "Steps count from 1 (the first update).");
    }
}

/// <summary>A constant learning rate.</summary>
public sealed record ConstantLearningRate(double Rate) : LearningRateSchedule
{
    public override double At(int step)
    {
        RequireStep(step);
        return Rate;
    }

    public override string ToString() => FormattableString.Invariant($"constant {Rate:g3}");
}

/// <summary>
/// Linear warmup over <paramref name="WarmupSteps"/> to <paramref name="Peak"/>, then half a cosine down to
/// <paramref name="Minimum"/> at <paramref name="TotalSteps"/>, and <paramref name="Minimum"/> after it.
/// </summary>
public sealed record WarmupCosineLearningRate(double Peak, int WarmupSteps, int TotalSteps, double Minimum) : LearningRateSchedule
{
    public override double At(int step)
    {
        RequireStep(step);
        if (WarmupSteps < 0 || TotalSteps <= WarmupSteps)
            throw new InvalidOperationException($"Warmup-cosine needs 0 ≤ warmup ({WarmupSteps}) < total steps ({TotalSteps}).");
        if (step <= WarmupSteps) return Peak * step / WarmupSteps;
        double progress = Math.Min(1.0, (double)(step - WarmupSteps) / (TotalSteps - WarmupSteps));
        return Minimum + (Peak - Minimum) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }

    public override string ToString() => FormattableString.Invariant($"warmup {WarmupSteps} + cosine {Peak:g3}→{Minimum:g3} over {TotalSteps}");
}

/// <summary>
/// The Transformer's schedule: the rate rises linearly for <paramref name="WarmupSteps"/> steps and then decays as the
/// inverse square root of the step, scaled by d_model^−0.5 (Vaswani et al., 2017, §5.3).
/// </summary>
public sealed record InverseSqrtLearningRate(int ModelDimension, int WarmupSteps, double Scale) : LearningRateSchedule
{
    public override double At(int step)
    {
        RequireStep(step);
        if (ModelDimension <= 0 || WarmupSteps <= 0)
            throw new InvalidOperationException($"Inverse-sqrt needs d_model > 0 ({ModelDimension}) and warmup > 0 ({WarmupSteps}).");
        return Scale * Math.Pow(ModelDimension, -0.5) * Math.Min(Math.Pow(step, -0.5), step * Math.Pow(WarmupSteps, -1.5));
    }

    public override string ToString() =>
        FormattableString.Invariant($"inverse-sqrt d_model={ModelDimension} warmup {WarmupSteps}{(Scale == 1 ? "" : FormattableString.Invariant($" ×{Scale:g3}"))}");
}
