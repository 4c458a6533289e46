namespace TransformersBook.Retrieval;

/// <summary>
/// The k largest of a stream of scored ids, kept in a min-heap of size k: O(n log k) time and O(k) memory instead of
/// sorting all n. Equal scores are ordered by increasing id, so that every index gives the same answer as a full sort.
/// </summary>
public sealed class TopK
{
    readonly int k;
    readonly PriorityQueue<SearchHit, SearchHit> heap;

    // The heap's root is the worst kept hit: the lowest score, and among equal scores the largest id.
    static readonly Comparer<SearchHit> WorstFirst = Comparer<SearchHit>.Create((a, b) =>
        a.Score != b.Score ? a.Score.CompareTo(b.Score) : b.Id.CompareTo(a.Id));

    /// <param name="k">How many hits to keep (at least 1).</param>
    public TopK(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        this.k = k;
        heap = new PriorityQueue<SearchHit, SearchHit>(k + 1, WorstFirst);
    }

    /// <summary>Offers one scored id; it is kept if it beats the worst of the k kept so far.</summary>
    public void Add(int id, float score)
    {
        var hit = new SearchHit(id, score);
        if (heap.Count < k) heap.Enqueue(hit, hit);
        else if (WorstFirst.Compare(hit, heap.Peek()) > 0) heap.EnqueueDequeue(hit, hit);
    }

    /// <summary>The kept hits, best first (largest score; equal scores by increasing id).</summary>
    public IReadOnlyList<SearchHit> Best() =>
        heap.UnorderedItems.Select(x => x.Element).OrderByDescending(h => h, WorstFirst).ToList();
}
