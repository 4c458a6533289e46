using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Interpretability;

/// <summary>One evaluation during training of an <see cref="AttentionOnlyRun"/>.</summary>
/// <param name="Step">Optimiser steps taken.</param>
/// <param name="TrainLoss">Mean training loss over the steps since the previous point (NaN at step 0).</param>
/// <param name="FreshLoss">Evaluation loss predicting tokens that have not occurred before (<see cref="RepeatedSequences.FreshPositions"/>).</param>
/// <param name="RepeatedLoss">Evaluation loss where copying from an earlier occurrence predicts the token (<see cref="RepeatedSequences.CopyablePositions"/>).</param>
/// <param name="InContextLearningScore">Late minus early loss (<see cref="InContextLearningScore"/>).</param>
public sealed record AttentionOnlyPoint(int Step, double TrainLoss, double FreshLoss, double RepeatedLoss, double InContextLearningScore);

/// <summary>
/// Trains an <see cref="AttentionOnlyTransformer"/> on <see cref="RepeatedSequences"/> with Adam at a constant rate,
/// evaluating on fixed held-out sequences every few steps: the loss on each half and the in-context-learning score, the
/// loss over the last quarter of the positions minus the loss over the first quarter — the curve on which Olsson et al.
/// (2022) saw induction heads form in a sudden phase change.
/// </summary>
public sealed class AttentionOnlyRun
{
    AttentionOnlyRun(IReadOnlyList<AttentionOnlyPoint> history) => History = history;

    /// <summary>The evaluations, from step 0.</summary>
    public IReadOnlyList<AttentionOnlyPoint> History { get; }

    /// <summary>The last evaluation.</summary>
    public AttentionOnlyPoint Final => History[^1];

    /// <summary>
    /// The early and late windows of the ICL score for sequences of 2·halfLength tokens (loss positions 0 … 2T − 2):
    /// T/2 positions from position 1, and the last T/2 positions. With segments longer than T/2 the late window lies
    /// inside the second copy and the early window before it.
    /// </summary>
    public static ((int Start, int Count) Early, (int Start, int Count) Late) Windows(int halfLength)
    {
        int count = Math.Max(1, halfLength / 2);
        return ((1, count), (2 * halfLength - 1 - count, count));
    }

    /// <summary>Losses of a model on held-out sequences: (fresh tokens, copyable tokens, ICL score).</summary>
    public static (double Fresh, double Repeated, double Icl) Evaluate(AttentionOnlyTransformer model, Tensor tokens, IReadOnlyList<HeadEdit>? edits = null)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        int half = (int)(tokens.shape[1] / 2);
        var losses = AttentionOnlyTransformer.LossPerPosition(model.Run(tokens, edits).Logits, tokens);           // (n, 2T − 1)
        var fresh = RepeatedSequences.FreshPositions(tokens).to(losses.device);
        var copyable = RepeatedSequences.CopyablePositions(tokens).to(losses.device);
        double freshLoss = losses.masked_select(fresh).mean().item<float>();
        double repeatedLoss = losses.masked_select(copyable).mean().item<float>();
        var (early, late) = Windows(half);
        return (freshLoss, repeatedLoss, InContextLearningScore.Compute(losses, early, late));
    }

    /// <summary>Trains the model in place and records its evaluations.</summary>
    /// <param name="model">The model (on its device).</param>
    /// <param name="random">Draws the training sequences.</param>
    /// <param name="evalTokens">(n, 2T) held-out repeated sequences.</param>
    /// <param name="steps">Optimiser steps.</param>
    /// <param name="batchSize">Sequences per step.</param>
    /// <param name="learningRate">Adam's constant step size.</param>
    /// <param name="evaluateEvery">Steps between evaluations.</param>
    /// <param name="minimumPeriod">The shortest repeated segment of the training sequences (see <see cref="RepeatedSequences.Sample"/>).</param>
    /// <param name="progress">Called after each evaluation (optional).</param>
    public static AttentionOnlyRun Train(AttentionOnlyTransformer model, Random random, Tensor evalTokens, int steps, int batchSize,
        double learningRate, int evaluateEvery, int? minimumPeriod = null, Action<AttentionOnlyPoint>? progress = null)
    {
        var device = model.parameters().First().device;
        var eval = evalTokens.to(device);
        int half = (int)(evalTokens.shape[1] / 2);
        var history = new List<AttentionOnlyPoint>();
        void Record(int step, double trainLoss)
        {
            model.eval();
            var (first, repeated, icl) = Evaluate(model, eval);
            model.train();
            var point = new AttentionOnlyPoint(step, trainLoss, first, repeated, icl);
            history.Add(point);
            progress?.Invoke(point);
        }
        Record(0, double.NaN);
        using var optimizer = optim.Adam(model.parameters(), lr: learningRate);
        double lossSum = 0;
        int lossCount = 0;
        for (int step = 1; step <= steps; step++)
        {
            using (var scope = NewDisposeScope())
            {
                var tokens = RepeatedSequences.Sample(random, batchSize, model.Config.Vocabulary, half, minimumPeriod).to(device);
                optimizer.zero_grad();
                var loss = AttentionOnlyTransformer.LossPerPosition(model.forward(tokens), tokens).mean();
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>();
                lossCount++;
            }
            if (step % evaluateEvery == 0 || step == steps)
            {
                Record(step, lossSum / lossCount);
                lossSum = 0;
                lossCount = 0;
            }
        }
        model.eval();
        return new AttentionOnlyRun(history);
    }
}
