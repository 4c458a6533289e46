using TorchSharp;
using TransformersBook.Data;

namespace TransformersBook.Tests;

public class TextDatasetTests
{
    const string Text = "call me ishmael. some years ago, never mind how long precisely.";

    public TextDatasetTests() => TestSetup.Initialize();

    [Fact]
    public void The_vocabulary_is_the_sorted_characters_and_encoding_round_trips()
    {
        var data = new TextDataset(Text, validationFraction: 0.25, seed: 1);
        Assert.Equal(Text.Distinct().OrderBy(c => c), data.Vocabulary);
        Assert.Equal(Text, data.Decode(data.Encode(Text)));
        using var ids = torch.tensor(data.Encode("me"));
        Assert.Equal("me", data.Decode(ids));
        Assert.Throws<ArgumentException>(() => data.Encode("Z"));
        Assert.Equal(Text.Length, data.TrainLength + data.ValidationLength);
        Assert.Equal((int)Math.Round(Text.Length * 0.75), data.TrainLength);
    }

    [Fact]
    public void Batches_are_blocks_with_targets_shifted_by_one_from_their_own_split()
    {
        var data = new TextDataset(Text, validationFraction: 0.25, seed: 1);
        var batch = data.Batch(DataSplit.Validation, batchSize: 4, blockSize: 5, torch.CPU, new Random(3));
        Assert.Equal(new long[] { 4, 5 }, batch.Input.shape);
        Assert.Equal(torch.ScalarType.Int64, batch.Input.dtype);
        string validation = Text[data.TrainLength..];
        for (int b = 0; b < 4; b++)
        {
            string x = data.Decode(batch.Input[b]);
            string y = data.Decode(batch.Target[b]);
            Assert.Equal(x[1..], y[..^1]);
            Assert.Contains(x + y[^1], validation);
        }
        Assert.Equal(20, batch.Tokens);
    }

    [Fact]
    public void Batch_providers_give_the_same_batch_for_the_same_step()
    {
        var data = new TextDataset(Text, seed: 5);
        var batches = data.Batches(DataSplit.Train, 3, 8);
        using var a = batches(17).Input;
        using var b = batches(17).Input;
        using var c = batches(18).Input;
        Assert.True(a.allclose(b, rtol: 0, atol: 0));
        Assert.False(a.allclose(c, rtol: 0, atol: 0));
        using var other = new TextDataset(Text, seed: 6).Batches(DataSplit.Train, 3, 8)(17).Input;
        Assert.False(a.allclose(other, rtol: 0, atol: 0));
    }

    [Fact]
    public void A_split_too_short_for_the_block_is_a_clear_error()
    {
        var data = new TextDataset("abcdefghij", validationFraction: 0.2);
        var e = Assert.Throws<ArgumentException>(() => data.Batch(DataSplit.Validation, 1, 4, torch.CPU, new Random(1)));
        Assert.Contains("Validation split has 2 characters", e.Message);
    }
}
