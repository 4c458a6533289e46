using TransformersBook.Models;
using TransformersBook.Retrieval;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>The retrieval-augmented reader's pieces: its row layout, greedy completion of ragged prompts, and the
/// GPT's features/logits split that lets a loss project only the answer positions.</summary>
[Collection(ProcessState.Name)]
public class ReaderTests
{
    public ReaderTests() => TestSetup.Initialize();

    const int Sep = 3, Cls = 2, Pad = 0;
    const long X = ReaderSequence.Ignored;

    [Fact]
    public void A_row_is_passage_sep_query_answer_sep_with_targets_on_the_answer()
    {
        var row = ReaderSequence.Build(new[] { 10, 11, 12 }, new[] { 20, 21, Cls }, new[] { 30, 31 }, context: 12,
            separatorId: Sep, padId: Pad, maxAnswer: 3);
        Assert.Equal(new long[] { 10, 11, 12, Sep, 20, 21, Cls, 30, 31, Sep, Pad, Pad }, row.Tokens);
        // Position 6 (the query's last token) predicts 30, 7 predicts 31, 8 predicts the end [SEP].
        Assert.Equal(new long[] { X, X, X, X, X, X, 30, 31, Sep, X, X, X }, row.Targets);
        Assert.Equal(7, row.PromptLength);
        Assert.Equal(new long[] { 10, 11, 12, Sep, 20, 21, Cls }, row.Prompt);
        Assert.Equal(3, row.PassageKept);
    }

    [Fact]
    public void Learning_the_query_adds_targets_from_the_separator_on()
    {
        var row = ReaderSequence.Build(new[] { 10, 11 }, new[] { 20, 21 }, new[] { 30 }, context: 10,
            separatorId: Sep, padId: Pad, maxAnswer: 2, learnQuery: true);
        Assert.Equal(new long[] { 10, 11, Sep, 20, 21, 30, Sep, Pad, Pad, Pad }, row.Tokens);
        Assert.Equal(new long[] { X, X, 20, 21, 30, Sep, X, X, X, X }, row.Targets);
    }

    [Fact]
    public void Closed_book_starts_at_the_separator_and_a_long_passage_is_cut_to_fit()
    {
        var closed = ReaderSequence.Build(null, new[] { 20 }, new[] { 30 }, 8, Sep, Pad, maxAnswer: 2);
        Assert.Equal(new long[] { Sep, 20, 30, Sep, Pad, Pad, Pad, Pad }, closed.Tokens);
        Assert.Equal(0, closed.PassageKept);

        // Room: 10 − ([SEP] + 2 query + 2 answer + end) = 4 passage tokens of 6.
        var cut = ReaderSequence.Build(new[] { 10, 11, 12, 13, 14, 15 }, new[] { 20, Cls }, null, 10, Sep, Pad, maxAnswer: 2);
        Assert.Equal(4, cut.PassageKept);
        Assert.Equal(new long[] { 10, 11, 12, 13, Sep, 20, Cls }, cut.Prompt);
        Assert.All(cut.Targets, t => Assert.Equal(X, t));
    }

    [Fact]
    public void Rows_that_cannot_fit_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ReaderSequence.Build(null, new[] { 20 }, new[] { 30, 31, 32 }, 12, Sep, Pad, maxAnswer: 2));
        Assert.Throws<ArgumentException>(() => ReaderSequence.Build(null, new int[6], null, 8, Sep, Pad, maxAnswer: 2));
        Assert.Throws<ArgumentException>(() => ReaderSequence.Build(null, Array.Empty<int>(), null, 8, Sep, Pad, maxAnswer: 2));
    }

    static readonly GptConfig Tiny = new(VocabularySize: 17, ContextLength: 16, Layers: 2, Heads: 2, Width: 16);

    [Fact]
    public void Greedy_completion_of_ragged_prompts_equals_one_prompt_at_a_time_argmax()
    {
        manual_seed(11);
        using var model = new Gpt(Tiny);
        model.eval();
        var prompts = new[] { new long[] { 1, 5, 9 }, new long[] { 4 }, new long[] { 2, 2, 7, 8, 3, 6, 1 } };
        // End id 16 is (almost surely) never the argmax of this random model, so each row runs to maxNewTokens.
        var batched = GreedyCompletion.Complete(model.forward, prompts, context: 16, maxNewTokens: 5, endId: 16, padId: 0, batchSize: 2);
        for (int i = 0; i < prompts.Length; i++)
        {
            // Generate with top-1 sampling is argmax, one unpadded prompt at a time.
            using var one = model.Generate(tensor(prompts[i]).unsqueeze(0), newTokens: 5, topK: 1);
            var expected = one[0].data<long>().ToArray()[prompts[i].Length..];
            if (expected.Contains(16L)) expected = expected[..Array.IndexOf(expected, 16L)];
            Assert.Equal(expected, batched[i]);
        }
    }

    [Fact]
    public void Completion_stops_at_the_end_token_and_at_the_context()
    {
        // A fake model whose next token is always (last token + 1): from 5 it counts up and stops before 9 (the end).
        Tensor CountUp(Tensor ids) => nn.functional.one_hot((ids + 1) % 17, 17).to(ScalarType.Float32);
        var result = GreedyCompletion.Complete(CountUp, new[] { new long[] { 5 }, new long[] { 1, 2, 3, 4, 5, 6 } },
            context: 8, maxNewTokens: 10, endId: 9, padId: 0);
        Assert.Equal(new long[] { 6, 7, 8 }, result[0]);
        Assert.Equal(new long[] { 7, 8 }, result[1]);   // the row is full at 8 tokens
        Assert.Throws<ArgumentException>(() => GreedyCompletion.Complete(CountUp, new[] { new long[8] }, 8, 2, 9, 0));
        // The per-position form gives the same: scores of the token after each row's last position.
        Tensor CountUpAt(Tensor ids, Tensor last) => nn.functional.one_hot((ids.gather(1, last.view(-1, 1)).squeeze(1) + 1) % 17, 17).to(ScalarType.Float32);
        var atPositions = GreedyCompletion.Complete(CountUpAt, new[] { new long[] { 5 }, new long[] { 1, 2, 3, 4, 5, 6 } },
            context: 8, maxNewTokens: 10, endId: 9, padId: 0, batchSize: 1);
        Assert.Equal(result, atPositions);
    }

    [Fact]
    public void Logits_of_the_features_are_the_forward_pass_and_a_sparse_loss_equals_the_ignoring_loss()
    {
        manual_seed(12);
        using var model = new Gpt(Tiny);
        using var x = randint(0, 17, new long[] { 3, 16 });
        using var y = full(new long[] { 3, 16 }, X, dtype: ScalarType.Int64);
        y[0, 4] = 3; y[1, 10] = 7; y[2, 15] = 16;
        using var full_ = model.forward(x);
        using var features = model.Features(x);
        Assert.Equal(new long[] { 3, 16, 16 }, features.shape);
        using var viaFeatures = model.Logits(features);
        Assert.True(allclose(full_, viaFeatures, rtol: 1e-5, atol: 1e-6));
        using var ignoring = model.Loss(x, y);
        using var keep = y.view(-1).ne(X).nonzero().squeeze(1);
        using var sparse = nn.functional.cross_entropy(model.Logits(features.view(-1, 16).index_select(0, keep)), y.view(-1).index_select(0, keep));
        Assert.Equal(ignoring.item<float>(), sparse.item<float>(), 4);
    }

    [Fact]
    public void The_pointer_generator_gives_a_distribution_whose_loss_is_its_log_probability_at_the_targets()
    {
        manual_seed(13);
        using var model = new PointerGeneratorGpt(Tiny);
        using var x = randint(0, 17, new long[] { 3, 16 });
        using var logProbabilities = model.forward(x);
        using var total = logProbabilities.exp().sum(-1);
        Assert.True(allclose(total, ones_like(total), atol: 1e-5), $"sums from {total.min().item<float>()} to {total.max().item<float>()}");
        using var y = full(new long[] { 3, 16 }, X, dtype: ScalarType.Int64);
        y[0, 0] = 5; y[1, 9] = x[1, 3]; y[2, 15] = x[2, 2];   // the last two could be copied
        using var loss = model.Loss(x, y);
        float expected = -(logProbabilities[0, 0, 5].item<float>() + logProbabilities[1, 9, x[1, 3].item<long>()].item<float>()
            + logProbabilities[2, 15, x[2, 2].item<long>()].item<float>()) / 3;
        Assert.Equal(expected, loss.item<float>(), 4);
        // One position per row: rows 0, 1, 2 at positions 0, 9, 15.
        using var next = model.NextToken(x, tensor(new long[] { 0, 9, 15 }));
        for (int r = 0; r < 3; r++)
            Assert.True(allclose(next[r], logProbabilities[r, new[] { 0, 9, 15 }[r]], atol: 1e-5));
    }

    [Fact]
    public void Pointer_weights_cover_only_earlier_positions_and_the_first_position_cannot_copy()
    {
        manual_seed(16);
        using var model = new PointerGeneratorGpt(Tiny);
        using var x = randint(0, 17, new long[] { 2, 16 });
        var (pointer, share) = model.CopyWeights(x);
        using (pointer) using (share)
        {
            Assert.Equal(new long[] { 2, 16, 16 }, pointer.shape);
            using var later = ones(16, 16, dtype: ScalarType.Bool).tril(-1).logical_not();
            Assert.Equal(0f, pointer.masked_select(later).abs().max().item<float>());
            using var rowSums = pointer.sum(-1);
            Assert.True(allclose(rowSums[.., 1..], ones(2, 15), atol: 1e-5));
            Assert.Equal(0f, rowSums[.., 0].abs().max().item<float>());
            Assert.Equal(1f, share[.., 0].min().item<float>());
            Assert.True(share.min().item<float>() > 0f && share.max().item<float>() <= 1f);
        }
    }

    [Fact]
    public void The_pointer_generator_never_sees_the_token_it_predicts()
    {
        manual_seed(14);
        using var model = new PointerGeneratorGpt(Tiny);
        model.eval();
        using var x = randint(0, 17, new long[] { 2, 16 });
        using var changed = x.clone();
        changed[.., 9] = (changed[.., 9] + 1) % 17;
        using var a = model.forward(x);
        using var b = model.forward(changed);
        // Position 8 predicts token 9: neither the GPT nor the pointer (which copies x_{j+1} for j < 8) may read it.
        Assert.Equal(0f, (a[.., ..9] - b[.., ..9]).abs().max().item<float>());
        Assert.True((a[.., 9] - b[.., 9]).abs().max().item<float>() > 1e-4f);
    }

    [Fact]
    public void The_pointer_generator_learns_to_copy_tokens_it_was_never_trained_to_output()
    {
        // Rows "s1 … s6 [SEP] s1 … s6" of distinct ids; after s1 the second half is predictable only by copying (s1
        // itself cannot be: pointing at j copies x_{j+1}, and nothing precedes s1). Training draws ids 4–29 only, yet
        // copying ids 30–39 must work: the pointer copies whatever the context holds.
        manual_seed(15);
        var config = new GptConfig(VocabularySize: 40, ContextLength: 13, Layers: 1, Heads: 2, Width: 32);
        using var model = new PointerGeneratorGpt(config);
        var optimizer = optim.AdamW(model.parameters(), lr: 1e-2);
        (Tensor Input, Tensor Target) Rows(int seed, int low, int high)
        {
            var random = new Random(seed);
            var input = new long[64 * 13];
            var target = new long[64 * 13];
            Array.Fill(target, X);
            for (int r = 0; r < 64; r++)
            {
                var s = Enumerable.Range(low, high - low).OrderBy(_ => random.Next()).Take(6).Select(i => (long)i).ToArray();
                for (int i = 0; i < 6; i++) { input[r * 13 + i] = s[i]; input[r * 13 + 7 + i] = s[i]; }
                input[r * 13 + 6] = Sep;
                for (int i = 7; i < 12; i++) target[r * 13 + i] = input[r * 13 + i + 1];
            }
            return (tensor(input, new long[] { 64, 13 }), tensor(target, new long[] { 64, 13 }));
        }
        for (int step = 0; step < 300; step++)
        {
            using var scope = NewDisposeScope();
            var (input, target) = Rows(step, 4, 30);
            optimizer.zero_grad();
            model.Loss(input, target).backward();
            optimizer.step();
        }
        model.eval();
        var (testInput, testTarget) = Rows(999, 30, 40);
        using var predicted = model.forward(testInput).argmax(-1);
        using var counted = testTarget.ne(X);
        double accuracy = predicted.masked_select(counted).eq(testTarget.masked_select(counted)).to(ScalarType.Float64).mean().item<double>();
        Assert.True(accuracy > 0.9, $"copy accuracy on unseen ids: {accuracy:F3}");
    }
}
