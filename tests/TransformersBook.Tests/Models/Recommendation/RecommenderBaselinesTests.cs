using TransformersBook.Models;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>Popularity and first-order Markov baselines on a tiny hand-made log.</summary>
public class RecommenderBaselinesTests
{
    static readonly int[][] Train = { new[] { 1, 2, 3 }, new[] { 1, 2, 4 }, new[] { 3, 1, 2 } };

    [Fact]
    public void Popularity_counts_occurrences_and_ignores_the_history()
    {
        var popularity = new PopularityRecommender(4, Train);
        // item 1: 3 times, 2: 3, 3: 2, 4: 1
        Assert.Equal(new float[] { 3, 3, 2, 1 }, popularity.Scores(new[] { 4 })[1..]);
        Assert.Equal(popularity.Scores(new[] { 1 }), popularity.Scores(new[] { 3, 2 }));
        Assert.True(float.IsNegativeInfinity(popularity.Scores(new[] { 1 })[0]));
    }

    [Fact]
    public void Markov_scores_transition_counts_from_the_last_item_with_popularity_ties()
    {
        var markov = new MarkovRecommender(4, Train);
        Assert.Equal(3, markov.TransitionCount(1, 2));
        Assert.Equal(1, markov.TransitionCount(2, 3));
        Assert.Equal(1, markov.TransitionCount(3, 1));
        var scores = markov.Scores(new[] { 4, 2 });   // last item 2: followed by 3 once and 4 once
        // popularity / (max count 3 + 1): 1 → 0.75, 2 → 0.75, 3 → 0.5, 4 → 0.25
        Assert.Equal(new[] { 0.75f, 0.75f, 1.5f, 1.25f }, scores[1..]);
    }
}
