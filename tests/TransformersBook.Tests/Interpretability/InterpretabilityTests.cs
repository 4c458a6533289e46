using TorchSharp;
using TransformersBook.Interpretability;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

[Collection(ProcessState.Name)]
public class InterpretabilityTests
{
    public InterpretabilityTests() => TestSetup.Initialize();

    static float[] Values(Tensor t) => t.detach().cpu().contiguous().to_type(ScalarType.Float32).data<float>().ToArray();

    [Fact]
    public void Rollout_of_a_two_layer_pattern_matches_the_hand_product()
    {
        // Layer 1: A = [[1, 0], [0.5, 0.5]] → Â = [[1, 0], [0.25, 0.75]]; layer 2: A = [[1, 0], [1, 0]] → Â = [[1, 0], [0.5, 0.5]].
        // R = Â₂ Â₁ = [[1, 0], [0.5 + 0.125, 0.375]].
        var first = tensor(new float[] { 1, 0, 0.5f, 0.5f }).view(1, 2, 2);
        var second = tensor(new float[] { 1, 0, 1, 0 }).view(1, 2, 2);
        var rollout = AttentionRollout.Compute(new[] { first, second });
        Assert.Equal(new[] { 1f, 0f, 0.625f, 0.375f }, Values(rollout).Select(v => MathF.Round(v, 5)).ToArray());
        // Two heads are averaged before the identity is mixed in.
        var twoHeads = stack(new[] { first[0], tensor(new float[] { 1, 0, 0, 1 }).view(2, 2) });      // mean = [[1, 0], [0.25, 0.75]]
        var single = AttentionRollout.Compute(new[] { twoHeads });
        Assert.Equal(new[] { 1f, 0f, 0.125f, 0.875f }, Values(single).Select(v => MathF.Round(v, 5)).ToArray());
    }

    static Tensor HandPatterns()
    {
        // Three heads on 6 positions: head 0 looks two back (position 0 and 1 look at 0), head 1 at itself, head 2 uniformly.
        var p = zeros(1, 3, 6, 6);
        for (int i = 0; i < 6; i++)
        {
            p[0, 0, i, Math.Max(0, i - 2)] = 1;
            p[0, 1, i, i] = 1;
            for (int j = 0; j <= i; j++) p[0, 2, i, j] = 1.0f / (i + 1);
        }
        return p;
    }

    [Fact]
    public void Prefix_matching_score_on_a_hand_made_pattern()
    {
        // Tokens a b c a b c: positions 3, 4, 5 repeat and should look at 1, 2, 3 — exactly two back.
        var tokens = tensor(new long[] { 5, 6, 7, 5, 6, 7 }).view(1, 6);
        var scores = PrefixMatchingScore.Compute(HandPatterns(), tokens);
        Assert.Equal(1.0, scores[0], 6);
        Assert.Equal(0.0, scores[1], 6);
        Assert.Equal((1 / 4.0 + 1 / 5.0 + 1 / 6.0) / 3, scores[2], 6);
        var targets = PrefixMatchingScore.Targets(tokens);
        Assert.Equal(3f, targets.sum().item<float>());
        Assert.Equal(1f, targets[0, 3, 1].item<float>());
    }

    [Fact]
    public void Previous_token_score_on_a_hand_made_pattern()
    {
        var scores = PreviousTokenScore.Compute(HandPatterns());
        Assert.Equal(1 / 5.0, scores[0], 6);                                                   // only A[1, 0]
        Assert.Equal(0.0, scores[1], 6);
        Assert.Equal((1 / 2.0 + 1 / 3.0 + 1 / 4.0 + 1 / 5.0 + 1 / 6.0) / 5, scores[2], 6);
    }

    [Fact]
    public void Icl_score_is_late_loss_minus_early_loss()
    {
        var losses = new[] { 4.0, 4.0, 3.0, 2.0, 1.0, 0.5 };
        Assert.Equal(0.75 - 4.0, InContextLearningScore.Compute(losses, (0, 2), (4, 2)), 10);
        var batch = tensor(new float[] { 4, 4, 3, 2, 1, 0, 4, 4, 3, 2, 1, 1 }).view(2, 6);       // the mean row is the vector above
        Assert.Equal(-3.25, InContextLearningScore.Compute(batch, (0, 2), (4, 2)), 5);
        Assert.Throws<ArgumentOutOfRangeException>(() => InContextLearningScore.Compute(losses, (0, 2), (5, 2)));
    }

    [Fact]
    public void A_probe_separates_separable_classes_and_a_control_task_relabels_by_type()
    {
        manual_seed(11);
        var features = cat(new[] { randn(100, 5) + 3, randn(100, 5) - 3 });
        var labels = cat(new[] { zeros(100, dtype: ScalarType.Int64), ones(100, dtype: ScalarType.Int64) });
        var probe = LinearProbe.Fit(features, labels, classes: 2, steps: 100);
        Assert.Equal(1.0, probe.Accuracy(features, labels), 6);
        Assert.Equal(new long[] { 200 }, probe.Predict(features).shape);

        var assignment = ControlTask.AssignLabels(vocabulary: 50, classes: 3, new Random(4));
        Assert.Equal(assignment, ControlTask.AssignLabels(50, 3, new Random(4)));
        Assert.All(assignment, l => Assert.InRange(l, 0, 2));
        Assert.Equal(3, assignment.Distinct().Count());
        var tokens = tensor(new long[] { 7, 7, 12, 0 }).view(2, 2);
        Assert.Equal(new[] { assignment[7], assignment[7], assignment[12], assignment[0] }, ControlTask.Labels(tokens, assignment).data<long>().ToArray());
        Assert.All(ControlTask.AssignLabels(20, 2, new Random(1), new[] { 0.0, 1.0 }), l => Assert.Equal(1, l));
        Assert.Equal(0.25, ControlTask.Selectivity(0.9, 0.65), 10);
    }

    [Fact]
    public void Repeated_sequences_repeat_their_first_half_or_a_final_segment()
    {
        var tokens = RepeatedSequences.Sample(new Random(3), batch: 4, vocabulary: 10, halfLength: 7);
        Assert.Equal(new long[] { 4, 14 }, tokens.shape);
        Assert.True(tokens.narrow(1, 0, 7).eq(tokens.narrow(1, 7, 7)).all().item<bool>());
        Assert.InRange(tokens.max().item<long>(), 0, 9);
        // With periods 4 … 7, each sequence ends with a segment repeated once: x[t] = x[t − m] over the last m tokens.
        var varied = RepeatedSequences.Sample(new Random(4), batch: 20, vocabulary: 1000, halfLength: 7, minimumPeriod: 4);
        var rows = varied.data<long>().ToArray();
        for (int b = 0; b < 20; b++)
        {
            var row = rows.Skip(b * 14).Take(14).ToArray();
            int period = Enumerable.Range(4, 4).Single(m => Enumerable.Range(14 - m, m).All(t => row[t] == row[t - m]));
            Assert.InRange(period, 4, 7);
        }
    }

    [Fact]
    public void Copyable_and_fresh_positions_on_a_hand_made_sequence()
    {
        // 1 2 3 9 2 3: loss position t predicts token t + 1. Position 4 (token 2, seen at 1, followed by 3) predicts 3: copyable.
        // Fresh targets: 2 (t = 0), 3 (t = 1), 9 (t = 2). Position 3 (token 9) predicts 2: neither fresh nor copyable.
        var tokens = tensor(new long[] { 1, 2, 3, 9, 2, 3 }).view(1, 6);
        Assert.Equal(new[] { false, false, false, false, true }, RepeatedSequences.CopyablePositions(tokens).data<bool>().ToArray());
        Assert.Equal(new[] { true, true, true, false, false }, RepeatedSequences.FreshPositions(tokens).data<bool>().ToArray());
    }

    [Fact]
    public void The_attention_only_model_is_causal_and_its_residual_is_the_sum_of_the_heads()
    {
        manual_seed(2);
        using var model = new AttentionOnlyTransformer(new AttentionOnlyConfig(Vocabulary: 12, Width: 16, Layers: 2, Heads: 4, MaxLength: 10));
        var tokens = RepeatedSequences.Sample(new Random(5), 3, 12, 5);
        using var _ = no_grad();
        var run = model.Run(tokens);
        Assert.Equal(new long[] { 3, 10, 12 }, run.Logits.shape);
        Assert.Equal(new long[] { 3, 4, 10, 10 }, run.Patterns[1].shape);
        Assert.True((run.Patterns[0].sum(dim: -1) - 1).abs().max().item<float>() < 1e-5f);
        Assert.Equal(0f, run.Patterns[0].triu(1).abs().max().item<float>());
        // x_final = x₀ + every head's output.
        var sum = run.Residuals[0] + run.HeadOutputs[0].sum(dim: 1) + run.HeadOutputs[1].sum(dim: 1);
        Assert.True((sum - run.Residuals[2]).abs().max().item<float>() < 1e-5f);
        // Changing the last token changes nothing before it.
        var changed = tokens.clone();
        changed[.., 9] = (changed[.., 9] + 1) % 12;
        var other = model.Run(changed);
        Assert.True((other.Logits.narrow(1, 0, 9) - run.Logits.narrow(1, 0, 9)).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void Ablation_zeroes_a_head_and_patching_a_head_with_its_own_output_changes_nothing()
    {
        manual_seed(8);
        using var model = new AttentionOnlyTransformer(new AttentionOnlyConfig(12, 16, 2, 4, 10));
        var tokens = RepeatedSequences.Sample(new Random(6), 2, 12, 5);
        using var _ = no_grad();
        var clean = model.Run(tokens);
        var ablated = model.Run(tokens, new[] { HeadEdit.Ablate(1, 2) });
        Assert.Equal(0f, ablated.HeadOutputs[1][.., 2].abs().max().item<float>());
        Assert.True((ablated.Residuals[2] - (clean.Residuals[2] - clean.HeadOutputs[1][.., 2])).abs().max().item<float>() < 1e-5f);
        var patched = model.Run(tokens, new[] { HeadEdit.Patch(0, 1, clean.HeadOutputs[0][.., 1]) });
        Assert.True((patched.Logits - clean.Logits).abs().max().item<float>() < 1e-5f);
        // Ablating a layer-0 head changes layer 1's patterns (the heads compose); ablating all heads leaves W_U x₀.
        var noFirst = model.Run(tokens, new[] { HeadEdit.Ablate(0, 0) });
        Assert.True((noFirst.Patterns[1] - clean.Patterns[1]).abs().max().item<float>() > 1e-6f);
        var all = Enumerable.Range(0, 2).SelectMany(l => Enumerable.Range(0, 4).Select(h => HeadEdit.Ablate(l, h))).ToArray();
        Assert.True((model.Run(tokens, all).Residuals[2] - clean.Residuals[0]).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void Saliency_is_zero_after_the_query_and_matches_autograd_on_one_row()
    {
        manual_seed(9);
        using var model = new AttentionOnlyTransformer(new AttentionOnlyConfig(12, 16, 2, 4, 10));
        var tokens = RepeatedSequences.Sample(new Random(7), 2, 12, 5);
        var saliency = GradientSaliency.Compute(model, tokens, new long[] { 6, 8 }, new long[] { 3, 4 });
        Assert.Equal(new long[] { 2, 10 }, saliency.shape);
        Assert.Equal(0f, saliency[0].narrow(0, 7, 3).abs().max().item<float>());
        Assert.True(saliency[0].narrow(0, 0, 7).sum().item<float>() > 0);
        // Row 1 alone gives the same numbers as in the batch.
        var alone = GradientSaliency.Compute(model, tokens.narrow(0, 1, 1), new long[] { 8 }, new long[] { 4 });
        Assert.True((alone[0] - saliency[1]).abs().max().item<float>() < 1e-5f);
    }
}
