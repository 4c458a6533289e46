using System.Net;

namespace TransformersBook.Checks;

/// <summary>A claim that was checked: what was claimed, the value measured, what it had to satisfy, in which profile.</summary>
/// <param name="Name">The claim in words, e.g. "the KV cache is faster".</param>
/// <param name="Status">Whether it held, failed, or was not checked in this profile.</param>
/// <param name="Actual">The measured value, as text.</param>
/// <param name="Expected">The condition, as text ("not checked in this profile" when it was not checked).</param>
/// <param name="Profile">The profile it was checked in.</param>
/// <param name="Detail">More context, if given.</param>
public sealed record ClaimResult(string Name, ClaimStatus Status, string Actual, string Expected, string Profile, string? Detail)
{
    /// <summary>Checked, and held.</summary>
    public bool Passed => Status == ClaimStatus.Holds;

    /// <summary>Checked, and did not hold.</summary>
    public bool Failed => Status == ClaimStatus.Fails;

    /// <summary>How the result column of the claims table reads.</summary>
    public string Verdict => Status switch
    {
        ClaimStatus.Holds => "✔ holds",
        ClaimStatus.Fails => "✘ fails",
        _ => "– not checked in this profile",
    };

    public string ToHtml()
    {
        string mark = Status switch
        {
            ClaimStatus.Holds => "<span style=\"color:#16a34a\">✔</span>",
            ClaimStatus.Fails => "<span style=\"color:#dc2626\">✘</span>",
            _ => "<span style=\"color:#6b7280\">–</span>",
        };
        string detail = Detail is null ? "" : $" <span style=\"color:#6b7280\">({WebUtility.HtmlEncode(Detail)})</span>";
        return $"<div class=\"book-claim\" style=\"font-family:system-ui,sans-serif;font-size:13px\">{mark} <b>{WebUtility.HtmlEncode(Name)}</b>: " +
               $"{WebUtility.HtmlEncode(Actual)} {WebUtility.HtmlEncode(Expected)} <span style=\"color:#6b7280\">[{WebUtility.HtmlEncode(Profile)}]</span>{detail}</div>";
    }

    public override string ToString() =>
        $"{Verdict[..1]} {Name}: {Actual} {Expected} [{Profile}]{(Detail is null ? "" : $" ({Detail})")}";
}
