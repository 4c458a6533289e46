using TransformersBook.Display;
using TransformersBook.Runtime;

namespace TransformersBook.Checks;

/// <summary>Every claim checked since setup (passed or failed), for the summary table at the end of a chapter.</summary>
public static class Claims
{
    static readonly object Gate = new();
    static readonly List<ClaimResult> Checked = new();

    // A chapter's setup forgets the claims of an earlier run in this process; before this class is first used there is
    // nothing to forget.
    static Claims() => BookSetup.Started += Reset;

    public static IReadOnlyList<ClaimResult> All
    {
        get { lock (Gate) return Checked.ToList(); }
    }

    internal static void Add(ClaimResult result)
    {
        lock (Gate)
        {
            Checked.Add(result);
            ClaimsLog.Append(result);
        }
    }

    /// <summary>Forgets the claims checked so far (setup does this at the start of a chapter).</summary>
    public static void Reset()
    {
        lock (Gate) Checked.Clear();
    }

    /// <summary>How many claims were checked (held or failed) and how many this profile could not check.</summary>
    public static (int Checked, int NotChecked) Count()
    {
        var all = All;
        return (all.Count(c => c.Status != ClaimStatus.NotChecked), all.Count(c => c.Status == ClaimStatus.NotChecked));
    }

    /// <summary>A table of the claims: claim, measured, expected, profile, result.</summary>
    public static Table Summary()
    {
        var table = new Table(new[] { "claim", "measured", "expected", "profile", "result" }, "Claims checked");
        foreach (var c in All) table.AddRow(c.Name, c.Actual, c.Expected, c.Profile, c.Verdict);
        return table;
    }
}
