using TorchSharp;
using TransformersBook.Attention;
using TransformersBook.Models;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

[Collection(ProcessState.Name)]
public class TransformerXlTests
{
    public TransformerXlTests() => TestSetup.Initialize();

    [Fact]
    public void Reading_in_segments_with_a_full_memory_equals_reading_at_once()
    {
        // Relative positions make segment-by-segment reading exact: with a memory as long as what came before, every
        // layer sees the same context at the same distances as one pass over the whole text.
        manual_seed(1);
        using var model = new TransformerXl(new TransformerXlConfig(VocabularySize: 13, Layers: 2, Heads: 2, Width: 16, MemoryLength: 8));
        model.eval();
        var tokens = randint(0, 13, new long[] { 2, 16 });
        using var noGrad = no_grad();
        var atOnce = model.forward(tokens);
        using var empty = model.EmptyMemory(2);
        var (first, memory) = model.Step(tokens.narrow(1, 0, 8), empty);
        var (second, next) = model.Step(tokens.narrow(1, 8, 8), memory);
        Assert.True((first - atOnce.narrow(1, 0, 8)).abs().max().item<float>() < 1e-4f);
        Assert.True((second - atOnce.narrow(1, 8, 8)).abs().max().item<float>() < 1e-4f);
        memory.Dispose();
        next.Dispose();
    }

    [Fact]
    public void The_memory_keeps_the_last_states_and_changes_what_the_next_segment_predicts()
    {
        manual_seed(2);
        using var model = new TransformerXl(new TransformerXlConfig(13, 1, 2, 16, MemoryLength: 6));
        model.eval();
        using var noGrad = no_grad();
        var segment = randint(0, 13, new long[] { 1, 4 });
        using var empty = model.EmptyMemory(1);
        var (_, afterOne) = model.Step(segment, empty);
        Assert.Equal(4, afterOne.Length.States);
        var (withMemory, afterTwo) = model.Step(segment, afterOne);
        Assert.Equal(6, afterTwo.Length.States);
        Assert.True((withMemory - model.forward(segment)).abs().max().item<float>() > 1e-4f);
        afterOne.Dispose();
        afterTwo.Dispose();
    }

    [Fact]
    public void A_compressive_memory_averages_evicted_states_c_at_a_time()
    {
        manual_seed(3);
        using var model = new TransformerXl(new TransformerXlConfig(13, 1, 2, 8, MemoryLength: 4, CompressedLength: 3, CompressionRate: 2));
        using var noGrad = no_grad();
        var memory = model.EmptyMemory(1);
        var embedded = new List<Tensor>();
        for (int step = 0; step < 3; step++)
        {
            var segment = randint(0, 13, new long[] { 1, 4 });
            embedded.Add(model.named_parameters().First(p => p.name.StartsWith("tokenEmbedding")).parameter[segment[0]]);
            var (_, next) = model.Step(segment, memory);
            memory.Dispose();
            memory = next;
        }
        // 12 positions read: the memory holds the last 4; 8 were evicted and pooled in pairs into 4, of which 3 are kept.
        Assert.Equal((4L, 3L), memory.Length);
        var layerInputs = cat(embedded, dim: 0);                                          // layer 0's inputs are the embeddings
        var expectedNewest = layerInputs.narrow(0, 6, 2).mean(new long[] { 0 });          // positions 6 and 7
        Assert.True((memory.Compressed[0][0, 2] - expectedNewest).abs().max().item<float>() < 1e-5f);
        memory.Dispose();
    }

    [Fact]
    public void Attention_is_causal_within_the_segment()
    {
        manual_seed(4);
        using var attention = new RelativeMemoryAttention(8, 2);
        var segment = randn(1, 5, 8);
        var memory = randn(1, 3, 8);
        var y = attention.forward(segment, memory);
        var changed = segment.clone();
        changed[0, 4] = randn(8);
        var y2 = attention.forward(changed, memory);
        Assert.True((y.narrow(1, 0, 4) - y2.narrow(1, 0, 4)).abs().max().item<float>() < 1e-6f);
    }

    [Fact]
    public void A_window_of_w_keys_sees_exactly_the_last_w_positions()
    {
        // With relative positions, a query under a window of W scores the same keys at the same distances as a query
        // that reads only the last W tokens: the two outputs are equal, and nothing further back changes them.
        manual_seed(6);
        using var windowed = new RelativeMemoryAttention(8, 2, window: 3);
        using var unlimited = new RelativeMemoryAttention(8, 2);
        unlimited.load_state_dict(windowed.state_dict());
        var x = randn(2, 7, 8);
        var none = zeros(2, 0, 8);
        var y = windowed.forward(x, none);
        for (int i = 0; i < 7; i++)
        {
            int first = Math.Max(0, i - 2);
            var alone = unlimited.forward(x.narrow(1, first, i - first + 1), none).select(1, i - first);
            Assert.True((y.select(1, i) - alone).abs().max().item<float>() < 1e-5f, $"position {i}");
        }
        Assert.True((y.select(1, 6) - unlimited.forward(x, none).select(1, 6)).abs().max().item<float>() > 1e-4f, "the window must hide something");
        // A window also applies to the memory: a key in the memory at distance ≥ W is not seen.
        var memory = randn(2, 4, 8);
        var withMemory = windowed.forward(x.narrow(1, 0, 1), memory);
        var lastTwo = windowed.forward(x.narrow(1, 0, 1), memory.narrow(1, 2, 2));
        Assert.True((withMemory - lastTwo).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void Segmented_loss_trains_and_no_gradient_reaches_earlier_segments()
    {
        manual_seed(5);
        using var model = new TransformerXl(new TransformerXlConfig(5, 1, 2, 8, MemoryLength: 4));
        var tokens = randint(0, 5, new long[] { 2, 12 });
        var perPosition = zeros(12);
        var loss = model.SegmentedLoss(tokens, tokens.roll(-1, 1), segmentLength: 4, lossPerPosition: perPosition);
        loss.backward();
        Assert.True(double.IsFinite(loss.item<float>()));
        Assert.True(perPosition.min().item<float>() > 0);
        Assert.All(model.parameters(), p => Assert.NotNull(p.grad));
    }
}
