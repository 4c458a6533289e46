namespace TransformersBook.GpuKernels;

/// <summary>How a row-wise kernel maps rows of a (rows × cols) matrix onto GPU threads.</summary>
public enum RowKernelStrategy
{
    /// <summary>
    /// One thread group per row: the group's threads stride through the row together (neighbouring threads read
    /// neighbouring floats, so the reads coalesce) and combine their partial statistics with a tree reduction in
    /// shared memory. The fast choice on a GPU when rows are long.
    /// </summary>
    GroupPerRow,

    /// <summary>
    /// One thread per row, looping over it alone: no shared memory and no barriers, so it is the simplest correct
    /// version, a reference for the grouped one, and fast on ILGPU's CPU accelerator, but uncoalesced on a GPU.
    /// </summary>
    ThreadPerRow,
}
