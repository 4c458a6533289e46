namespace TransformersBook.Checks;

/// <summary>What became of a claim in this run.</summary>
public enum ClaimStatus
{
    /// <summary>Checked, and it held.</summary>
    Holds,

    /// <summary>Checked, and it did not hold: the run fails.</summary>
    Fails,

    /// <summary>This profile is too small to test the claim; it is shown as not checked, never as holding.</summary>
    NotChecked,
}
