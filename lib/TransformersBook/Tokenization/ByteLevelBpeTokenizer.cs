using System.Text;
using System.Text.RegularExpressions;

namespace TransformersBook.Tokenization;

/// <summary>
/// A byte-level BPE encoder driven by a rank table, the way GPT-2, cl100k_base and o200k_base encode (Radford et al.,
/// 2019; OpenAI's tiktoken): a regular expression first splits the text into pieces (words with their leading space,
/// runs of up to three digits, punctuation, whitespace); each piece is turned into its UTF-8 bytes; a piece that is a
/// token as a whole becomes that token; otherwise the adjacent pair whose concatenation has the lowest rank is merged,
/// again and again, until no adjacent pair is a token. A token's id is its rank, so the 256 single bytes always exist
/// and every text is encodable.
/// </summary>
/// <remarks>
/// Byte strings are held as strings of chars 0–255 (one char per byte), which makes them dictionary keys for free.
/// </remarks>
public sealed class ByteLevelBpeTokenizer
{
    /// <summary>
    /// The pre-split of cl100k_base, with .NET's atomic groups for the possessive quantifiers of the original:
    /// contractions, letters with at most one leading non-letter, 1–3 digits, punctuation runs with their newlines,
    /// newlines with the spaces before them, and other whitespace.
    /// </summary>
    public const string Cl100kPattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|(?>[^\r\n\p{L}\p{N}]?)\p{L}+|\p{N}{1,3}| ?(?>[^\s\p{L}\p{N}]+)[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>GPT-2's pre-split (r50k_base): contractions, then letters, digits or other symbols each with an optional leading space.</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    readonly Dictionary<string, int> ranks;
    readonly string[] tokens;
    readonly Regex? splitter;

    /// <summary>An encoder over a rank table.</summary>
    /// <param name="ranks">Every token's bytes and its rank (= id); ranks must be 0..n−1 without gaps; a byte string listed
    /// twice (two merges can build the same bytes) is looked up by its lower rank.</param>
    /// <param name="pattern">The pre-split expression; null encodes the whole text as one piece (minbpe's BasicTokenizer).</param>
    public ByteLevelBpeTokenizer(IReadOnlyDictionary<byte[], int> ranks, string? pattern = Cl100kPattern)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        this.ranks = new Dictionary<string, int>(ranks.Count, StringComparer.Ordinal);
        tokens = new string[ranks.Count];
        foreach (var (bytes, rank) in ranks)
        {
            if (rank < 0 || rank >= ranks.Count) throw new ArgumentException($"rank {rank} is outside 0..{ranks.Count - 1}.", nameof(ranks));
            var key = ByteString(bytes);
            if (!this.ranks.TryAdd(key, rank) && rank < this.ranks[key]) this.ranks[key] = rank;   // a string made twice keeps its lowest rank
            if (tokens[rank] != null) throw new ArgumentException($"rank {rank} occurs twice.", nameof(ranks));
            tokens[rank] = key;
        }
        for (int b = 0; b < 256; b++)
            if (!this.ranks.ContainsKey(((char)b).ToString())) throw new ArgumentException($"byte {b} is not a token.", nameof(ranks));
        Pattern = pattern;
        splitter = pattern == null ? null : new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);
    }

    /// <summary>The pre-split expression, or null when the text is one piece.</summary>
    public string? Pattern { get; }

    /// <summary>The number of tokens.</summary>
    public int VocabularySize => tokens.Length;

    /// <summary>The bytes of the token with an id.</summary>
    public byte[] TokenBytes(int id) => tokens[id].Select(c => (byte)c).ToArray();

    /// <summary>The pieces the pre-split cuts a text into.</summary>
    public IEnumerable<string> PreTokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (splitter == null) { if (text.Length > 0) yield return text; yield break; }
        foreach (Match m in splitter.Matches(text)) yield return m.Value;
    }

    /// <summary>The token ids of a text.</summary>
    public List<int> Encode(string text)
    {
        var ids = new List<int>();
        foreach (var piece in PreTokenize(text)) EncodePiece(ByteString(Encoding.UTF8.GetBytes(piece)), ids);
        return ids;
    }

    /// <summary>The text of token ids (invalid UTF-8 becomes U+FFFD).</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var bytes = new List<byte>();
        foreach (var id in ids) foreach (var c in tokens[id]) bytes.Add((byte)c);
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>Appends the ids of one piece (a byte string) by lowest-rank-first merging.</summary>
    void EncodePiece(string piece, List<int> ids)
    {
        if (ranks.TryGetValue(piece, out var whole)) { ids.Add(whole); return; }
        var parts = new List<string>(piece.Length);
        foreach (var c in piece) parts.Add(c.ToString());
        while (parts.Count > 1)
        {
            int bestAt = -1, bestRank = int.MaxValue;
            for (int i = 0; i + 1 < parts.Count; i++)
                if (ranks.TryGetValue(parts[i] + parts[i + 1], out var r) && r < bestRank) { bestRank = r; bestAt = i; }
            if (bestAt < 0) break;
            parts[bestAt] += parts[bestAt + 1];
            parts.RemoveAt(bestAt + 1);
        }
        foreach (var p in parts) ids.Add(ranks[p]);
    }

    /// <summary>A byte array as a string of chars 0–255.</summary>
    internal static string ByteString(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++) chars[i] = (char)bytes[i];
        return new string(chars);
    }

    /// <summary>Writes the table in tiktoken's format (one "base64(bytes) rank" line per token), which
    /// Microsoft.ML.Tokenizers' <c>TiktokenTokenizer.Create</c> reads.</summary>
    public void WriteTiktokenFile(string path) => File.WriteAllLines(path,
        tokens.Select((t, rank) => Convert.ToBase64String(t.Select(c => (byte)c).ToArray()) + " " + rank));
}
