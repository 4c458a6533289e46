namespace TransformersBook.Tokenization;

/// <summary>
/// A unigram language-model tokenizer (Kudo, 2018; SentencePiece): every piece has a log-probability, and a word is cut
/// into the pieces whose log-probabilities sum highest, found by Viterbi over the positions of the word. Words are the
/// text's whitespace-separated runs, each prefixed with "▁" (U+2581), SentencePiece's mark for "a space came before",
/// so decoding is concatenation. A character outside the vocabulary becomes the unknown piece.
/// </summary>
public sealed class UnigramTokenizer
{
    /// <summary>SentencePiece's word-boundary mark.</summary>
    public const char SpaceMark = '\u2581';

    /// <summary>The unknown piece, id 0.</summary>
    public const string UnknownToken = "<unk>";

    /// <summary>The log-probability charged for an unknown character (below every real piece).</summary>
    public const double UnknownLogProbability = -30;

    readonly Dictionary<string, int> ids;
    readonly int maxPieceLength;

    /// <summary>A tokenizer over pieces and their log-probabilities; id i is entry i; entry 0 must be <see cref="UnknownToken"/>.</summary>
    public UnigramTokenizer(IReadOnlyList<(string Piece, double LogProbability)> pieces)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        if (pieces.Count == 0 || pieces[0].Piece != UnknownToken) throw new ArgumentException($"entry 0 must be {UnknownToken}.", nameof(pieces));
        Pieces = pieces;
        ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < pieces.Count; i++)
            if (!ids.TryAdd(pieces[i].Piece, i)) throw new ArgumentException($"'{pieces[i].Piece}' occurs twice.", nameof(pieces));
        maxPieceLength = pieces.Skip(1).Max(p => p.Piece.Length);
    }

    /// <summary>The pieces by id, with their log-probabilities.</summary>
    public IReadOnlyList<(string Piece, double LogProbability)> Pieces { get; }

    /// <summary>V, the number of pieces.</summary>
    public int VocabularySize => Pieces.Count;

    /// <summary>The words of a text: whitespace-separated runs, each with the space mark in front.</summary>
    public static IEnumerable<string> PreTokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) yield return SpaceMark + word;
    }

    /// <summary>The best segmentation of one word (Viterbi) as piece ids, and its log-probability.</summary>
    public (List<int> Ids, double LogProbability) Segment(string word, string? excluded = null)
    {
        int n = word.Length;
        var best = new double[n + 1];
        var from = new int[n + 1];
        var piece = new int[n + 1];
        Array.Fill(best, double.NegativeInfinity);
        best[0] = 0;
        for (int end = 1; end <= n; end++)
        {
            for (int start = Math.Max(0, end - maxPieceLength); start < end; start++)
            {
                if (double.IsNegativeInfinity(best[start])) continue;
                var candidate = word.Substring(start, end - start);
                if (candidate == excluded || !ids.TryGetValue(candidate, out var id) || id == 0) continue;
                var score = best[start] + Pieces[id].LogProbability;
                if (score > best[end]) { best[end] = score; from[end] = start; piece[end] = id; }
            }
            var unknown = best[end - 1] + UnknownLogProbability;   // one character as <unk>
            if (unknown > best[end]) { best[end] = unknown; from[end] = end - 1; piece[end] = 0; }
        }
        var result = new List<int>();
        for (int at = n; at > 0; at = from[at]) result.Add(piece[at]);
        result.Reverse();
        return (result, best[n]);
    }

    /// <summary>The piece ids of a text.</summary>
    public List<int> Encode(string text)
    {
        var result = new List<int>();
        foreach (var word in PreTokenize(text)) result.AddRange(Segment(word).Ids);
        return result;
    }

    /// <summary>The pieces of a text.</summary>
    public List<string> Tokenize(string text) => Encode(text).Select(i => Pieces[i].Piece).ToList();

    /// <summary>The text of piece ids: pieces joined, space marks turned back into spaces (the first one dropped).</summary>
    public string Decode(IEnumerable<int> pieceIds) =>
        string.Concat(pieceIds.Select(i => Pieces[i].Piece)).Replace(SpaceMark, ' ').TrimStart(' ');
}
