using TransformersBook.Inference;
using TransformersBook.Serving;
using Xunit;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>
/// The engine's batches change nothing about a request's tokens: at temperature 0 (and with a per-request seed above
/// it) every request gets exactly the tokens it gets alone. Also admission under both policies, cancellation and drain.
/// </summary>
[Collection(ProcessState.Name)]
public class BatchingEngineTests
{
    public BatchingEngineTests() => TestSetup.Initialize();

    static readonly GenerationRequest[] Mixed =
    {
        new("the cat", 12), new("a", 3), new("hello, world", 20), new("zz", 7), new("q", 1), new("once upon", 15),
        new("the cat", 9, 0.8, 5), new("dog", 11, 1.2, 9),
    };

    static List<int> Run(BatchingEngine engine, GenerationRequest request)
    {
        var submitted = engine.Submit(request);
        Assert.Equal(SubmitStatus.Accepted, submitted.Status);
        while (engine.Step()) { }
        return submitted.Sequence!.Generated.ToList();
    }

    [Fact]
    public void ForwardEach_gives_each_sequence_the_logits_of_its_own_cached_step()
    {
        var model = ServingTestModel.Create();
        var decoder = new CachedGptDecoder(model);
        using var noGrad = no_grad();
        var prompts = new[] { new long[] { 1, 2, 3 }, new long[] { 4 }, new long[] { 5, 6, 7, 8, 9, 10 } };
        var caches = prompts.Select(_ => decoder.NewCache()).ToList();
        var singles = prompts.Select(_ => decoder.NewCache()).ToList();
        for (int i = 0; i < prompts.Length; i++)
        {
            decoder.Forward(tensor(prompts[i]).unsqueeze(0), caches[i]);
            decoder.Forward(tensor(prompts[i]).unsqueeze(0), singles[i]);
        }
        var next = tensor(new long[] { 11, 12, 13 });
        var batched = decoder.ForwardEach(next, caches);
        for (int i = 0; i < prompts.Length; i++)
        {
            var alone = decoder.Forward(next.narrow(0, i, 1).unsqueeze(0), singles[i]).select(1, 0);
            Assert.True((batched.narrow(0, i, 1) - alone).abs().max().item<float>() < 1e-5f, $"sequence {i}");
            Assert.Equal(singles[i].Length, caches[i].Length);
        }
    }

    [Theory]
    [InlineData(BatchingPolicy.Continuous)]
    [InlineData(BatchingPolicy.Static)]
    public void Batched_requests_get_exactly_the_tokens_they_get_alone(BatchingPolicy policy)
    {
        var model = ServingTestModel.Create();
        using var alone = new BatchingEngine(model, ServingTestModel.Vocabulary, new EngineOptions(MaxBatch: 1, QueueCapacity: 1, policy));
        var single = Mixed.Select(r => Run(alone, r)).ToList();
        using var batched = new BatchingEngine(model, ServingTestModel.Vocabulary, new EngineOptions(MaxBatch: 4, QueueCapacity: 16, policy));
        var sequences = Mixed.Select(r => batched.Submit(r).Sequence!).ToList();
        int steps = 0;
        while (batched.Step()) steps++;
        for (int i = 0; i < Mixed.Length; i++)
        {
            Assert.Equal(Mixed[i].MaxTokens, sequences[i].Generated.Count);
            Assert.Equal(single[i], sequences[i].Generated);
            Assert.Equal(SequenceOutcome.Completed, sequences[i].Outcome);
        }
        // Greedy tokens also equal the cached decoder's own greedy generation.
        var greedy = new CachedGptDecoder(model).Generate(tensor(Mixed[0].Prompt.Select(c => (long)Array.IndexOf(ServingTestModel.Vocabulary, c)).ToArray()).unsqueeze(0), 12, CachedGptDecoder.Greedy);
        Assert.Equal(greedy.data<long>().Skip(Mixed[0].Prompt.Length).Select(t => (int)t), sequences[0].Generated);
        Assert.True(steps < Mixed.Sum(r => r.MaxTokens), "batching shares steps between requests");
    }

    [Fact]
    public void Continuous_batching_admits_into_a_free_place_at_once_and_static_batching_waits_for_the_batch_to_empty()
    {
        var model = ServingTestModel.Create();
        foreach (var policy in new[] { BatchingPolicy.Continuous, BatchingPolicy.Static })
        {
            using var engine = new BatchingEngine(model, ServingTestModel.Vocabulary, new EngineOptions(2, 8, policy));
            var shortOne = engine.Submit(new GenerationRequest("a", 2)).Sequence!;
            var longOne = engine.Submit(new GenerationRequest("b", 10)).Sequence!;
            var waiting = engine.Submit(new GenerationRequest("c", 2)).Sequence!;
            engine.Step();
            engine.Step();
            Assert.True(shortOne.Finished.IsCompleted);
            engine.Step();
            // The third request took the short one's place in the continuous engine; the static one still waits.
            Assert.Equal(policy == BatchingPolicy.Continuous ? 1 : 0, waiting.Generated.Count);
            while (engine.Step()) { }
            Assert.Equal(10, longOne.Generated.Count);
            Assert.Equal(2, waiting.Generated.Count);
        }
    }

    [Fact]
    public void A_full_queue_refuses_with_a_retry_time_and_every_accepted_request_completes()
    {
        var model = ServingTestModel.Create();
        using var engine = new BatchingEngine(model, ServingTestModel.Vocabulary, new EngineOptions(2, 3));
        var results = Enumerable.Range(0, 8).Select(i => engine.Submit(new GenerationRequest("abc", 4 + i))).ToList();
        Assert.Equal(3, results.Count(r => r.Status == SubmitStatus.Accepted));
        Assert.All(results.Where(r => r.Status == SubmitStatus.QueueFull), r => Assert.True(r.RetryAfterSeconds >= 1));
        while (engine.Step()) { }
        Assert.All(results.Where(r => r.Sequence is not null), r => Assert.Equal(SequenceOutcome.Completed, r.Sequence!.Outcome));
        var statistics = engine.Statistics;
        Assert.Equal((3, 5, 3), (statistics.Accepted, statistics.RejectedQueueFull, statistics.Completed));
    }

    [Fact]
    public void A_cancelled_request_leaves_the_batch_and_the_others_are_unaffected()
    {
        var model = ServingTestModel.Create();
        using var reference = new BatchingEngine(model, ServingTestModel.Vocabulary, new EngineOptions(1, 1));
        var expected = Run(reference, new GenerationRequest("hello", 10));
        using var engine = new BatchingEngine(model, ServingTestModel.Vocabulary, new EngineOptions(4, 4));
        using var client = new CancellationTokenSource();
        var kept = engine.Submit(new GenerationRequest("hello", 10)).Sequence!;
        var dropped = engine.Submit(new GenerationRequest("world", 10), client.Token).Sequence!;
        engine.Step();
        engine.Step();
        client.Cancel();
        while (engine.Step()) { }
        Assert.Equal(SequenceOutcome.Cancelled, dropped.Outcome);
        Assert.True(dropped.Generated.Count < 10);
        Assert.Equal(expected, kept.Generated);
        Assert.Equal(1, engine.Statistics.Cancelled);
    }

    [Fact]
    public async Task Shutdown_refuses_new_requests_and_finishes_the_accepted_ones()
    {
        var model = ServingTestModel.Create();
        using var engine = new BatchingEngine(model, ServingTestModel.Vocabulary, new EngineOptions(2, 8));
        var accepted = Enumerable.Range(0, 5).Select(i => engine.Submit(new GenerationRequest("abc", 6)).Sequence!).ToList();
        engine.Start();
        engine.StopAccepting();
        Assert.Equal(SubmitStatus.ShuttingDown, engine.Submit(new GenerationRequest("abc", 6)).Status);
        await engine.Drained.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(accepted, s => Assert.Equal(((SequenceOutcome?)SequenceOutcome.Completed, 6), (s.Outcome, s.Generated.Count)));
    }
}
