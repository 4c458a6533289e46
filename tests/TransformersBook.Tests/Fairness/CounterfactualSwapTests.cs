using TransformersBook.Fairness;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>Counterfactual swapping and augmentation.</summary>
public class CounterfactualSwapTests
{
    static readonly CounterfactualSwap Swap = new(new[] { ("John", "Amy"), ("Paul", "Lisa") });

    [Fact]
    public void Swaps_both_ways_and_leaves_other_tokens()
    {
        Assert.Equal(new[] { "Amy", "met", "Paul", "at", "the", "office" }, Swap.Apply(new[] { "John", "met", "Lisa", "at", "the", "office" }));
        Assert.Equal("John", Swap.Swap("Amy"));
        Assert.Equal("office", Swap.Swap("office"));
        Assert.Equal(2, Swap.PairCount);
    }

    [Fact]
    public void Swapping_twice_gives_the_original()
    {
        var sentence = new[] { "Lisa", "and", "John", "went", "home" };
        Assert.Equal(sentence, Swap.Apply(Swap.Apply(sentence)));
    }

    [Fact]
    public void Augmentation_adds_the_swapped_copy_of_sentences_with_a_paired_word()
    {
        var data = new IReadOnlyList<string>[] { new[] { "John", "works" }, new[] { "nobody", "works" } };
        var augmented = Swap.Augment(data);
        Assert.Equal(3, augmented.Count);
        Assert.Equal(new[] { "Amy", "works" }, augmented[2]);
    }

    [Fact]
    public void A_word_in_two_pairs_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new CounterfactualSwap(new[] { ("John", "Amy"), ("Amy", "Paul") }));
        Assert.Throws<ArgumentException>(() => new CounterfactualSwap(new[] { ("John", "John") }));
    }
}
