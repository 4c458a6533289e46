using TransformersBook.Data;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>The recommendation chapter's generator: seeded, in range, and with the planted structure it documents.</summary>
public class SyntheticSessionsTests
{
    static readonly SessionGeneratorOptions Small = new(Users: 300, Items: 120, Genres: 12, MinLength: 10, MaxLength: 20);

    [Fact]
    public void Same_seed_same_sequences()
    {
        var a = SyntheticSessions.Generate(Small, 7);
        var b = SyntheticSessions.Generate(Small, 7);
        Assert.Equal(a.Sequences.SelectMany(s => s), b.Sequences.SelectMany(s => s));
        Assert.NotEqual(a.Sequences.SelectMany(s => s), SyntheticSessions.Generate(Small, 8).Sequences.SelectMany(s => s));
    }

    [Fact]
    public void Sequences_have_the_asked_sizes_and_items()
    {
        var data = SyntheticSessions.Generate(Small, 1);
        Assert.Equal(300, data.Sequences.Count);
        Assert.All(data.Sequences, s => Assert.InRange(s.Length, 10, 20));
        Assert.All(data.Sequences.SelectMany(s => s), i => Assert.InRange(i, 1, 120));
        Assert.Equal(1.0, Enumerable.Range(1, 10).Sum(r => data.WithinGenreProbability(1 + 12 * (r - 1))), 9);
    }

    [Fact]
    public void Successors_and_session_genres_are_planted()
    {
        var data = SyntheticSessions.Generate(Small, 2);
        int pairs = 0, successors = 0, ordinary = 0, inSessionGenre = 0;
        for (int u = 0; u < data.Sequences.Count; u++)
        {
            var s = data.Sequences[u];
            for (int t = 1; t < s.Length; t++)
            {
                pairs++;
                if (s[t] == data.Successor[s[t - 1]]) successors++;
                else
                {
                    ordinary++;
                    if (data.GenreOf(s[t]) == data.SessionGenres[u][t]) inSessionGenre++;
                }
            }
        }
        // p_succ = 0.35 (plus rare chance matches); every other item comes from the session genre.
        Assert.InRange(successors / (double)pairs, 0.32, 0.40);
        Assert.Equal(ordinary, inSessionGenre);
    }

    [Fact]
    public void Leave_one_out_keeps_the_last_two_items_out_of_training()
    {
        var split = new LeaveOneOutSplit(new[] { new[] { 5, 6, 7, 8 } });
        Assert.Equal(new[] { 5, 6 }, split.Train[0]);
        Assert.Equal(7, split.ValidationTarget[0]);
        Assert.Equal(new[] { 5, 6, 7 }, split.TestHistory[0]);
        Assert.Equal(8, split.TestTarget[0]);
        Assert.Equal(new long[] { 0, 0, 5, 6, 7 }, LeaveOneOutSplit.LeftPadded(split.TestHistory[0], 5));
        Assert.Equal(new long[] { 6, 7 }, LeaveOneOutSplit.LeftPadded(split.TestHistory[0], 2));
    }
}
