using System.Text;
using System.Text.RegularExpressions;

namespace TransformersBook.Tokenization;

/// <summary>
/// BERT's WordPiece tokenizer (Schuster and Nakajima, 2012; Wu et al., 2016; Devlin et al., 2019): text is lower-cased
/// and split into words (runs of letters and digits) and single punctuation or symbol characters; each word is then cut
/// greedily, longest match first, into vocabulary pieces, where every piece after the first carries the continuation
/// prefix "##". A word that cannot be cut completely (a character outside the vocabulary) becomes [UNK] as a whole, as
/// in BERT's reference implementation.
/// </summary>
public sealed partial class WordPieceTokenizer
{
    /// <summary>The prefix that marks a piece continuing a word rather than starting one.</summary>
    public const string ContinuationPrefix = "##";

    /// <summary>Padding, id 0 in vocabularies from <see cref="WordPieceTrainer"/>.</summary>
    public const string PadToken = "[PAD]";

    /// <summary>The unknown word.</summary>
    public const string UnknownToken = "[UNK]";

    /// <summary>The first token of every sequence; its final vector is what a classifier reads.</summary>
    public const string ClassToken = "[CLS]";

    /// <summary>The end of a sequence.</summary>
    public const string SeparatorToken = "[SEP]";

    /// <summary>The token that replaces 80 % of the positions masked-LM pretraining asks about.</summary>
    public const string MaskToken = "[MASK]";

    /// <summary>The special tokens in the order (and so with the ids 0–4) <see cref="WordPieceTrainer"/> gives them.</summary>
    public static IReadOnlyList<string> SpecialTokens { get; } = new[] { PadToken, UnknownToken, ClassToken, SeparatorToken, MaskToken };

    readonly Dictionary<string, int> ids;

    /// <summary>A tokenizer over a vocabulary whose i-th entry has id i.</summary>
    /// <param name="vocabulary">Pieces; those that continue a word start with "##"; must contain [UNK].</param>
    /// <param name="maxCharactersPerWord">Longer words become [UNK] without being searched (BERT uses 100).</param>
    public WordPieceTokenizer(IReadOnlyList<string> vocabulary, int maxCharactersPerWord = 100)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        Vocabulary = vocabulary;
        ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < vocabulary.Count; i++)
            if (!ids.TryAdd(vocabulary[i], i)) throw new ArgumentException($"'{vocabulary[i]}' occurs twice in the vocabulary.", nameof(vocabulary));
        if (!ids.ContainsKey(UnknownToken)) throw new ArgumentException($"the vocabulary has no {UnknownToken}.", nameof(vocabulary));
        MaxCharactersPerWord = maxCharactersPerWord;
    }

    /// <summary>The pieces by id.</summary>
    public IReadOnlyList<string> Vocabulary { get; }

    /// <summary>V, the number of pieces.</summary>
    public int VocabularySize => Vocabulary.Count;

    /// <summary>Words longer than this become [UNK].</summary>
    public int MaxCharactersPerWord { get; }

    /// <summary>The id of a piece.</summary>
    /// <exception cref="KeyNotFoundException">The piece is not in the vocabulary.</exception>
    public int Id(string piece) => ids[piece];

    /// <summary>Whether a piece is in the vocabulary.</summary>
    public bool Contains(string piece) => ids.ContainsKey(piece);

    /// <summary>The id of [PAD].</summary>
    public int PadId => ids[PadToken];

    /// <summary>The id of [UNK].</summary>
    public int UnknownId => ids[UnknownToken];

    /// <summary>The id of [CLS].</summary>
    public int ClassId => ids[ClassToken];

    /// <summary>The id of [SEP].</summary>
    public int SeparatorId => ids[SeparatorToken];

    /// <summary>The id of [MASK].</summary>
    public int MaskId => ids[MaskToken];

    [GeneratedRegex(@"[\p{L}\p{N}]+|[^\s\p{L}\p{N}]")]
    private static partial Regex WordPattern();

    /// <summary>
    /// BERT's basic tokenization, simplified: lower-case, then words (runs of letters and digits) and single
    /// characters that are neither (punctuation, symbols); white space only separates.
    /// </summary>
    public static List<string> PreTokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value).ToList();
    }

    /// <summary>
    /// One word cut greedily, longest match first: take the longest vocabulary piece that starts the rest of the word
    /// (with "##" unless it is the word's start), and repeat. [UNK] alone when some rest has no matching piece.
    /// </summary>
    public List<string> TokenizeWord(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length > MaxCharactersPerWord) return new List<string> { UnknownToken };
        var pieces = new List<string>();
        int start = 0;
        while (start < word.Length)
        {
            string? found = null;
            for (int end = word.Length; end > start; end--)
            {
                string candidate = (start > 0 ? ContinuationPrefix : "") + word[start..end];
                if (ids.ContainsKey(candidate)) { found = candidate; start = end; break; }
            }
            if (found is null) return new List<string> { UnknownToken };
            pieces.Add(found);
        }
        return pieces;
    }

    /// <summary>The pieces of a text: pre-tokenized, then every word cut by <see cref="TokenizeWord"/>.</summary>
    public List<string> Tokenize(string text) => PreTokenize(text).SelectMany(TokenizeWord).ToList();

    /// <summary>The ids of a text's pieces.</summary>
    public List<int> Encode(string text) => Tokenize(text).Select(p => ids[p]).ToList();

    /// <summary>
    /// A model's input: [CLS], the text's first pieces, [SEP], then [PAD] up to exactly <paramref name="length"/> ids
    /// (pieces past length − 2 are cut off).
    /// </summary>
    public long[] EncodeForModel(string text, int length)
    {
        if (length < 2) throw new ArgumentOutOfRangeException(nameof(length), "room for [CLS] and [SEP] is needed.");
        var result = new long[length];
        Array.Fill(result, PadId);
        result[0] = ClassId;
        int i = 1;
        foreach (int id in Encode(text))
        {
            if (i == length - 1) break;
            result[i++] = id;
        }
        result[i] = SeparatorId;
        return result;
    }

    /// <summary>Text from ids: pieces joined by spaces, "##" pieces glued to the piece before them; padding dropped.</summary>
    public string Decode(IEnumerable<long> pieceIds)
    {
        ArgumentNullException.ThrowIfNull(pieceIds);
        var text = new StringBuilder();
        foreach (long id in pieceIds)
        {
            if (id == PadId) continue;
            string piece = Vocabulary[(int)id];
            if (piece.StartsWith(ContinuationPrefix, StringComparison.Ordinal) && text.Length > 0) text.Append(piece, 2, piece.Length - 2);
            else
            {
                if (text.Length > 0) text.Append(' ');
                text.Append(piece);
            }
        }
        return text.ToString();
    }

    /// <summary>Text from ids (see <see cref="Decode(IEnumerable{long})"/>).</summary>
    public string Decode(IEnumerable<int> pieceIds) => Decode(pieceIds.Select(i => (long)i));

    /// <summary>Writes the vocabulary one piece per line (line i holds id i): BERT's vocab.txt format.</summary>
    public void WriteVocabularyFile(string path) => File.WriteAllLines(path, Vocabulary);
}
