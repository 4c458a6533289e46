using System.Text;
using System.Text.RegularExpressions;

namespace TransformersBook.Tokenization;

/// <summary>
/// Trains a byte-level BPE rank table the way Karpathy's minbpe does (after Sennrich et al., 2016, on bytes as in GPT-2):
/// split the text with the pre-split expression, write each piece as its UTF-8 bytes (ids 0–255), then repeatedly find
/// the most frequent adjacent pair of ids across all pieces, give it the next id (256, 257, …) and replace it
/// everywhere. Pairs never cross piece boundaries. Ties go to the pair seen first in text order, as in minbpe, where
/// Python's max returns the first of equal counts in insertion order.
/// </summary>
/// <remarks>
/// Pieces are deduplicated and weighted by their count (in order of first occurrence), which gives the same pair counts
/// and the same first-seen order as walking the whole text; every merge recounts from scratch, so the result is exactly
/// minbpe's.
/// </remarks>
public static class ByteLevelBpeTrainer
{
    /// <summary>The rank table after <paramref name="merges"/> merges (fewer if no pair is left).</summary>
    /// <param name="text">Training text.</param>
    /// <param name="merges">How many merges; the vocabulary has 256 + merges tokens.</param>
    /// <param name="pattern">The pre-split; null trains on the text as one piece (minbpe's BasicTokenizer).</param>
    public static ByteLevelBpeVocabulary Train(string text, int merges, string? pattern = ByteLevelBpeTokenizer.Cl100kPattern)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(merges);
        var order = new List<string>();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        IEnumerable<string> pieces = pattern == null ? new[] { text } : Regex.Matches(text, pattern, RegexOptions.CultureInvariant).Select(m => m.Value);
        foreach (var piece in pieces)
        {
            if (piece.Length == 0) continue;
            if (counts.TryGetValue(piece, out var c)) counts[piece] = c + 1;
            else { counts[piece] = 1; order.Add(piece); }
        }
        var sequences = order.Select(p => Encoding.UTF8.GetBytes(p).Select(b => (int)b).ToList()).ToArray();
        var weights = order.Select(p => counts[p]).ToArray();

        var tokenBytes = new List<byte[]>();
        for (int b = 0; b < 256; b++) tokenBytes.Add(new[] { (byte)b });
        var mergeList = new List<(int Left, int Right)>();
        var pairCounts = new Dictionary<(int, int), long>();
        for (int m = 0; m < merges; m++)
        {
            pairCounts.Clear();
            for (int s = 0; s < sequences.Length; s++)
            {
                var seq = sequences[s];
                for (int i = 0; i + 1 < seq.Count; i++)
                {
                    var pair = (seq[i], seq[i + 1]);
                    pairCounts[pair] = pairCounts.GetValueOrDefault(pair) + weights[s];
                }
            }
            if (pairCounts.Count == 0) break;
            (int, int) best = default; long bestCount = 0;
            foreach (var (pair, count) in pairCounts)   // insertion order: the first of equal counts wins
                if (count > bestCount) { bestCount = count; best = pair; }
            int id = 256 + m;
            foreach (var seq in sequences) Replace(seq, best, id);
            mergeList.Add(best);
            tokenBytes.Add(tokenBytes[best.Item1].Concat(tokenBytes[best.Item2]).ToArray());
        }
        return new ByteLevelBpeVocabulary(mergeList, tokenBytes, pattern);
    }

    /// <summary>Replaces every non-overlapping occurrence of a pair, left to right, by a new id.</summary>
    public static void Replace(List<int> sequence, (int Left, int Right) pair, int id)
    {
        int write = 0;
        for (int read = 0; read < sequence.Count; read++)
        {
            if (read + 1 < sequence.Count && sequence[read] == pair.Left && sequence[read + 1] == pair.Right)
            { sequence[write++] = id; read++; }
            else sequence[write++] = sequence[read];
        }
        sequence.RemoveRange(write, sequence.Count - write);
    }
}

/// <summary>The result of <see cref="ByteLevelBpeTrainer"/>: the merges in order and each token's bytes.</summary>
/// <param name="Merges">Merge i joined these two ids into id 256 + i.</param>
/// <param name="TokenBytes">The bytes of every id.</param>
/// <param name="Pattern">The pre-split it was trained with.</param>
public sealed record ByteLevelBpeVocabulary(IReadOnlyList<(int Left, int Right)> Merges, IReadOnlyList<byte[]> TokenBytes, string? Pattern)
{
    /// <summary>The rank table: bytes → id.</summary>
    public Dictionary<byte[], int> Ranks() => TokenBytes.Select((b, i) => (b, i)).ToDictionary(x => x.b, x => x.i);

    /// <summary>An encoder over this table. Byte strings made twice by different merges keep their first (lowest) id.</summary>
    public ByteLevelBpeTokenizer Tokenizer() => new(Ranks(), Pattern);

    /// <summary>minbpe's own encoder: apply the learned merges, lowest id first, to each piece's bytes.</summary>
    public List<int> EncodeWithMerges(string text)
    {
        var rank = new Dictionary<(int, int), int>();
        for (int i = 0; i < Merges.Count; i++) rank.TryAdd(Merges[i], 256 + i);
        IEnumerable<string> pieces = Pattern == null ? new[] { text } : Regex.Matches(text, Pattern, RegexOptions.CultureInvariant).Select(m => m.Value);
        var ids = new List<int>();
        foreach (var piece in pieces)
        {
            var seq = Encoding.UTF8.GetBytes(piece).Select(b => (int)b).ToList();
            while (seq.Count > 1)
            {
                (int, int) best = default; int bestId = int.MaxValue;
                for (int i = 0; i + 1 < seq.Count; i++)
                    if (rank.TryGetValue((seq[i], seq[i + 1]), out var id) && id < bestId) { bestId = id; best = (seq[i], seq[i + 1]); }
                if (bestId == int.MaxValue) break;
                ByteLevelBpeTrainer.Replace(seq, best, bestId);
            }
            ids.AddRange(seq);
        }
        return ids;
    }
}
