using static TorchSharp.torch;

namespace TransformersBook.Attention;

/// <summary>
/// The block-sparse pattern of BigBird (Zaheer et al., 2020). The sequence is cut into blocks of b tokens; block row i
/// attends to (1) its neighbours i − w … i + w (the sliding window), (2) the first g blocks, which are global: they
/// attend to everything and everything attends to them, and (3) r further blocks drawn at random for each row. Each
/// query then scores at most b·(2w + 1 + g + r) keys, linear in n, while the global blocks keep every pair of tokens
/// two hops apart and the random blocks make the graph an expander. Random blocks are drawn with a seeded
/// <see cref="Random"/>, so a pattern is reproducible.
/// </summary>
public static class BigBirdMask
{
    /// <summary>The (blocks, blocks) boolean pattern: true where block row i attends to block column j.</summary>
    /// <param name="blocks">How many blocks the sequence has.</param>
    /// <param name="windowBlocks">w: neighbouring blocks on each side.</param>
    /// <param name="globalBlocks">g: the first g blocks are global.</param>
    /// <param name="randomBlocks">r: random blocks added to each non-global row (fewer if the row has fewer left).</param>
    /// <param name="seed">Seeds the random blocks.</param>
    public static bool[,] BlockPattern(int blocks, int windowBlocks, int globalBlocks, int randomBlocks, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blocks);
        var pattern = new bool[blocks, blocks];
        for (int i = 0; i < blocks; i++)
            for (int j = 0; j < blocks; j++)
                pattern[i, j] = Math.Abs(i - j) <= windowBlocks || i < globalBlocks || j < globalBlocks;
        var random = new Random(seed);
        for (int i = globalBlocks; i < blocks; i++)
        {
            var free = Enumerable.Range(0, blocks).Where(j => !pattern[i, j]).ToList();
            // Draw without replacement from the blocks this row does not see yet.
            for (int added = 0; added < randomBlocks && free.Count > 0; added++)
            {
                int pick = random.Next(free.Count);
                pattern[i, free[pick]] = true;
                free.RemoveAt(pick);
            }
        }
        return pattern;
    }

    /// <summary>The token-level (length, length) mask: each block entry of <see cref="BlockPattern"/> expanded to a
    /// blockSize × blockSize tile.</summary>
    public static Tensor Build(long length, int blockSize, int windowBlocks, int globalBlocks, int randomBlocks, int seed, Device? device = null)
    {
        if (blockSize <= 0 || length % blockSize != 0)
            throw new ArgumentException($"the length {length} must be a positive multiple of the block size {blockSize}.", nameof(blockSize));
        int blocks = (int)(length / blockSize);
        var pattern = BlockPattern(blocks, windowBlocks, globalBlocks, randomBlocks, seed);
        var flat = new bool[blocks * blocks];
        for (int i = 0; i < blocks; i++)
            for (int j = 0; j < blocks; j++)
                flat[i * blocks + j] = pattern[i, j];
        using var scope = NewDisposeScope();
        var blockMask = tensor(flat, new long[] { blocks, blocks });
        var tokens = blockMask.repeat_interleave(blockSize, 0).repeat_interleave(blockSize, 1);
        return tokens.to(device ?? CPU).MoveToOuterDisposeScope();
    }
}
