using TorchSharp;
using TransformersBook.Data;
using TransformersBook.Models;
using TransformersBook.Retrieval;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>Exact and IVF vector search, the top-k heap, TF-IDF and the State of the Union loader.</summary>
[Collection(ProcessState.Name)]
public class RetrievalTests
{
    static float[][] RandomVectors(int n, int d, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToArray();
    }

    static int[] BruteForce(float[][] vectors, float[] query, int k)
    {
        var q = VectorMath.Normalized(query);
        return Enumerable.Range(0, vectors.Length)
            .Select(i => (Id: i, Score: VectorMath.Dot(q, VectorMath.Normalized(vectors[i]))))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Id).Take(k).Select(x => x.Id).ToArray();
    }

    [Fact]
    public void ExactIndexFindsTheHandExample()
    {
        // Cosines with (1, 0): (2, 0) → 1, (1, 1) → 0.707, (0, 3) → 0, (-1, 0) → -1.
        var index = new ExactVectorIndex(new[] { new[] { 0f, 3f }, new[] { 1f, 1f }, new[] { -1f, 0f }, new[] { 2f, 0f } });
        var result = index.Search(new[] { 5f, 0f }, 3);
        Assert.Equal(new[] { 3, 1, 0 }, result.Hits.Select(h => h.Id));
        Assert.Equal(1f, result.Hits[0].Score, 5);
        Assert.Equal(MathF.Sqrt(0.5f), result.Hits[1].Score, 5);
        Assert.Equal(4, result.DotProducts);
    }

    [Fact]
    public void ExactIndexEqualsASortAndBreaksTiesById()
    {
        var vectors = RandomVectors(300, 8, 1);
        var index = new ExactVectorIndex(vectors);
        foreach (var query in RandomVectors(20, 8, 2))
            Assert.Equal(BruteForce(vectors, query, 10), index.Search(query, 10).Hits.Select(h => h.Id));
        var ties = new ExactVectorIndex(new[] { new[] { 1f, 0f }, new[] { 0f, 1f }, new[] { 1f, 0f }, new[] { 2f, 0f } });
        Assert.Equal(new[] { 0, 2, 3 }, ties.Search(new[] { 1f, 0f }, 3).Hits.Select(h => h.Id));
    }

    [Fact]
    public void IvfWithEveryListProbedEqualsExact()
    {
        var vectors = RandomVectors(400, 6, 3);
        var exact = new ExactVectorIndex(vectors);
        var ivf = new InvertedFileIndex(vectors, listCount: 12, iterations: 5, seed: 4);
        Assert.Equal(400, ivf.ListSizes.Sum());
        foreach (var query in RandomVectors(25, 6, 5))
        {
            var all = ivf.Search(query, 10, probes: 12);
            Assert.Equal(exact.Search(query, 10).Hits.Select(h => h.Id), all.Hits.Select(h => h.Id));
            Assert.Equal(12 + 400, all.DotProducts);
            var one = ivf.Search(query, 10, probes: 1);
            Assert.True(one.DotProducts < all.DotProducts);
        }
    }

    [Fact]
    public void TfIdfMatchesTheHandValue()
    {
        var docs = new[] { new[] { "a", "b" }, new[] { "a", "c", "c" }, new[] { "d" } };
        var tfidf = new TfIdf(docs);
        // N = 3: idf(a) = ln(4/3) + 1, idf(c) = ln(4/2) + 1.
        double idfA = Math.Log(4.0 / 3) + 1, idfC = Math.Log(2) + 1;
        Assert.Equal(idfA, tfidf.InverseDocumentFrequency("a"), 12);
        Assert.Equal(idfC, tfidf.InverseDocumentFrequency("c"), 12);
        Assert.Equal(0, tfidf.InverseDocumentFrequency("zebra"));
        // Document 1 is (a: idfA, c: 2 idfC) normalised; the query "c" is the unit vector on c.
        double expected = 2 * idfC / Math.Sqrt(idfA * idfA + 4 * idfC * idfC);
        var scores = tfidf.Scores(new[] { "c", "zebra" });
        Assert.Equal(expected, scores[1], 5);
        Assert.Equal(0f, scores[0]);
        Assert.Equal(new[] { 1, 0, 2 }, tfidf.Search(new[] { "c", "a" }, 3).Select(h => h.Id));
    }

    [Fact]
    public void LoaderReadsTheFields()
    {
        var parsed = StateOfTheUnion.Parse("{\"year\":1801,\"name\":\"Thomas Jefferson\",\"party\":\"Democratic-Republican\",\"text\":\"Fellow citizens\"}");
        Assert.Equal(new StateOfTheUnionAddress(1801, "Thomas Jefferson", "Democratic-Republican", "Fellow citizens"), parsed);
        var all = StateOfTheUnion.Addresses();
        Assert.Equal(233, all.Count);
        Assert.Equal((1790, "George Washington", "none"), (all[0].Year, all[0].President, all[0].Party));
        Assert.StartsWith("Fellow-Citizens of the Senate", all[0].Text, StringComparison.Ordinal);
        Assert.Equal("Joseph R Biden", all[^1].President);
        Assert.True(StateOfTheUnion.Between(2002, 2008).All(a => a.President == "George W Bush"));
    }

    [Fact]
    public void DenseRetrieverGivesUnitVectorsThatIgnorePadding()
    {
        TestSetup.Initialize();
        torch.manual_seed(7);
        var model = new DenseRetriever(new TextEncoderConfig(20, 8, Layers: 1, Heads: 2, Width: 16, FeedForwardWidth: 32), embeddingSize: 8);
        model.eval();
        using var noGrad = torch.no_grad();
        var short4 = torch.tensor(new long[] { 3, 5, 7, 9 }, new long[] { 1, 4 });
        var padded = torch.tensor(new long[] { 3, 5, 7, 9, 0, 0, 0, 0 }, new long[] { 1, 8 });
        var a = model.forward(short4);
        var b = model.forward(padded);
        Assert.Equal(1.0, a.norm().item<float>(), 4);
        Assert.True((a - b).abs().max().item<float>() < 1e-5f);
        // Two identical pairs in a batch of 2: each row's logits are equal, so the loss is ln 2.
        var twice = torch.cat(new[] { short4, short4 }, 0);
        Assert.Equal(Math.Log(2), model.Loss(twice, twice).item<float>(), 4);
    }
}
