using TransformersBook.Positional;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

[Collection(ProcessState.Name)]
public class LearnedPositionalEmbeddingTests
{
    public LearnedPositionalEmbeddingTests() => TestSetup.Initialize();

    [Fact]
    public void Adds_one_learned_vector_per_position()
    {
        manual_seed(1);
        using var embedding = new LearnedPositionalEmbedding(maxLength: 16, width: 8);
        Assert.Equal(new long[] { 16, 8 }, embedding.Weight.shape);
        Assert.Equal(16 * 8, embedding.parameters().Sum(p => p.numel()));
        using var x = zeros(2, 5, 8);
        using var y = embedding.forward(x);
        Assert.Equal(new long[] { 2, 5, 8 }, y.shape);
        // On zeros the output is the table itself, the same for every sequence in the batch.
        using var firstRows = embedding.Weight.narrow(0, 0, 5);
        Assert.True(y[0].allclose(firstRows) && y[1].allclose(firstRows));
    }

    [Fact]
    public void Has_no_vector_beyond_its_maximum_length()
    {
        using var embedding = new LearnedPositionalEmbedding(4, 8);
        using var x = zeros(1, 5, 8);
        Assert.Throws<ArgumentException>(() => embedding.forward(x));
    }
}
