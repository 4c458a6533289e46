using System.Net;

namespace TransformersBook.Checks;

/// <summary>A claim that was checked: what was claimed, the value measured, what it had to satisfy, in which profile.</summary>
/// <param name="Name">The claim in words, e.g. "the KV cache is faster".</param>
/// <param name="Passed">Whether it held.</param>
/// <param name="Actual">The measured value, as text.</param>
/// <param name="Expected">The condition, as text.</param>
/// <param name="Profile">The profile it was checked in.</param>
/// <param name="Detail">More context, if given.</param>
public sealed record ClaimResult(string Name, bool Passed, string Actual, string Expected, string Profile, string? Detail)
{
    public string ToHtml()
    {
        string mark = Passed ? "<span style=\"color:#16a34a\">✔</span>" : "<span style=\"color:#dc2626\">✘</span>";
        string detail = Detail is null ? "" : $" <span style=\"color:#6b7280\">({WebUtility.HtmlEncode(Detail)})</span>";
        return $"<div class=\"book-claim\" style=\"font-family:system-ui,sans-serif;font-size:13px\">{mark} <b>{WebUtility.HtmlEncode(Name)}</b>: " +
               $"{WebUtility.HtmlEncode(Actual)} {WebUtility.HtmlEncode(Expected)} <span style=\"color:#6b7280\">[{WebUtility.HtmlEncode(Profile)}]</span>{detail}</div>";
    }

    public override string ToString() =>
        $"{(Passed ? "✔" : "✘")} {Name}: {Actual} {Expected} [{Profile}]{(Detail is null ? "" : $" ({Detail})")}";
}
