using TransformersBook.Serving;
using Xunit;

namespace TransformersBook.Tests;

/// <summary>The queue refuses beyond its capacity and after closing, and keeps first-in-first-out order.</summary>
public class BoundedRequestQueueTests
{
    [Fact]
    public void It_refuses_when_full_and_frees_a_place_when_one_leaves()
    {
        var queue = new BoundedRequestQueue<int>(2);
        Assert.True(queue.TryEnqueue(1));
        Assert.True(queue.TryEnqueue(2));
        Assert.False(queue.TryEnqueue(3));
        Assert.True(queue.TryDequeue(out int first));
        Assert.Equal(1, first);
        Assert.True(queue.TryEnqueue(4));
        Assert.Equal(2, queue.Count);
    }

    [Fact]
    public void A_closed_queue_accepts_nothing_but_still_gives_out_what_it_holds()
    {
        var queue = new BoundedRequestQueue<string>(4);
        queue.TryEnqueue("a");
        queue.TryEnqueue("b");
        queue.Close();
        Assert.False(queue.TryEnqueue("c"));
        Assert.True(queue.TryDequeue(out var a) && a == "a");
        Assert.True(queue.TryDequeue(out var b) && b == "b");
        Assert.False(queue.TryDequeue(out _));
    }
}
