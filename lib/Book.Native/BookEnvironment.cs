namespace Book.Native;

/// <summary>
/// The environment variables through which the book's tools and its library talk to each other: one name each,
/// defined once here, because the engine, the kernel, the CLI and the library all read or set them.
/// </summary>
public static class BookEnvironment
{
    /// <summary>smoke or default: how large a chapter's experiments are.</summary>
    public const string Profile = "BOOK_PROFILE";

    /// <summary>auto, cpu or cuda.</summary>
    public const string Device = "BOOK_DEVICE";

    /// <summary>A folder holding libtorch (e.g. a CUDA PyTorch's lib), used instead of the CPU package.</summary>
    public const string LibTorch = "BOOK_LIBTORCH";

    /// <summary>
    /// A file the library appends every checked claim to, one JSON object a line; a runner sets it, then stores the
    /// claims in the executed notebook's metadata (<c>metadata.book.claims</c>) for the results ledger.
    /// </summary>
    public const string ClaimsFile = "BOOK_CLAIMS_FILE";

    /// <summary>
    /// The mutation check's hook: a claim whose name starts with this text has its measured value negated (a condition
    /// inverted) before it is checked, to show that the claim can fail. Never set in a normal run.
    /// </summary>
    public const string MutateClaim = "BOOK_MUTATE_CLAIM";
}
