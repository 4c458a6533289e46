namespace Book.Kernel;

/// <summary>
/// Remembers the signatures of recent accepted messages, so a captured message sent again is refused: a valid
/// signature proves who wrote a message, not that it is new. jupyter_client's Session keeps the same digest history.
/// Bounded: the oldest signature is forgotten once <see cref="Capacity"/> are held (a replay that old is
/// accepted again, a trade every Jupyter session makes). Not thread-safe: the socket thread alone uses it.
/// </summary>
public sealed class ReplayGuard
{
    /// <summary>jupyter_client's digest_history_size.</summary>
    public const int DefaultCapacity = 1 << 16;

    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public ReplayGuard(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>
    /// True the first time a signature is seen (and remembers it), false for a replay. Hex digits are compared
    /// case-insensitively, because the signer accepts either case: "ABC…" must not pass as new after "abc…".
    /// </summary>
    public bool IsNew(string signature)
    {
        var key = signature.ToLowerInvariant();
        if (!_seen.Add(key))
            return false;
        _order.Enqueue(key);
        if (_order.Count > Capacity)
            _seen.Remove(_order.Dequeue());
        return true;
    }
}
