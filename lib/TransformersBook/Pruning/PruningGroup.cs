namespace TransformersBook.Pruning;

/// <summary>
/// Which weights compete for survival when a fraction of a layer is pruned: the whole matrix at once, or each output
/// row on its own (Wanda's comparison group, Sun et al., 2023), so that every row keeps the same number of weights.
/// </summary>
public enum PruningGroup
{
    /// <summary>All weights of the matrix are ranked together (per-layer magnitude pruning).</summary>
    Layer,

    /// <summary>Each output row is ranked separately; every row loses the same number of weights.</summary>
    Row,
}
