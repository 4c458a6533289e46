namespace TransformersBook.Serving;

/// <summary>
/// The waiting room in front of the batch: first in, first out, with a fixed capacity. When it is full a new request is
/// refused at once instead of waiting without limit — back-pressure, which the HTTP layer turns into 429 Too Many
/// Requests with a Retry-After header. Once closed (shutdown) it accepts nothing, but what it holds still leaves in order.
/// Thread-safe.
/// </summary>
/// <typeparam name="T">What waits.</typeparam>
public sealed class BoundedRequestQueue<T>
{
    readonly Queue<T> items = new();
    readonly object gate = new();
    bool closed;

    /// <param name="capacity">The most items that may wait (at least 1).</param>
    public BoundedRequestQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>The most items that may wait.</summary>
    public int Capacity { get; }

    /// <summary>Items waiting now.</summary>
    public int Count
    {
        get
        {
            lock (gate) return items.Count;
        }
    }

    /// <summary>Whether <see cref="Close"/> was called.</summary>
    public bool IsClosed
    {
        get
        {
            lock (gate) return closed;
        }
    }

    /// <summary>Adds an item unless the queue is full or closed.</summary>
    /// <returns>Whether it was added.</returns>
    public bool TryEnqueue(T item)
    {
        lock (gate)
        {
            if (closed || items.Count >= Capacity) return false;
            items.Enqueue(item);
            return true;
        }
    }

    /// <summary>Takes the oldest item, if any.</summary>
    public bool TryDequeue(out T item)
    {
        lock (gate)
        {
            return items.TryDequeue(out item!);
        }
    }

    /// <summary>Accepts nothing more; the items already in still come out.</summary>
    public void Close()
    {
        lock (gate) closed = true;
    }
}
