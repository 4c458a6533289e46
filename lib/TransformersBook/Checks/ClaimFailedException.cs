namespace TransformersBook.Checks;

/// <summary>A chapter's claim did not hold; a headless run of the chapter fails with this message.</summary>
public sealed class ClaimFailedException : Exception
{
    public ClaimFailedException(ClaimResult result)
        : base($"Claim failed: {result.Name}: measured {result.Actual}, expected {result.Expected} (profile {result.Profile})" +
               (result.Detail is null ? "." : $"; {result.Detail}."))
    {
        Result = result;
    }

    public ClaimResult Result { get; }
}
