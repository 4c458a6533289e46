namespace TransformersBook.Retrieval;

/// <summary>One search result: the row of the indexed item and its score (cosine similarity, larger is better).</summary>
/// <param name="Id">The item's row in the index, 0-based.</param>
/// <param name="Score">Its similarity to the query.</param>
public readonly record struct SearchHit(int Id, float Score);

/// <summary>The best hits of a search, best first, and what the search cost.</summary>
/// <param name="Hits">At most k hits, by decreasing score; equal scores in increasing id.</param>
/// <param name="DotProducts">How many query–vector dot products the search computed (centroids included).</param>
public sealed record SearchResult(IReadOnlyList<SearchHit> Hits, long DotProducts);
