using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace TransformersBook.Data;

/// <summary>
/// Grapheme-to-phoneme pairs from the CMU Pronouncing Dictionary ready for a sequence-to-sequence model: words made of
/// the letters A–Z only (no apostrophes or dots), their first pronunciation, a letter vocabulary and a phoneme
/// vocabulary, a random split of whole words into training and held-out words, and padded batches.
/// </summary>
/// <remarks>
/// The split is by word, so every held-out word is one the model never saw. Stress digits (AH0, AH1) are removed by
/// default, leaving the 39 ARPAbet phonemes: stress depends on the whole word and would make a small model's mistakes
/// hard to read.
/// </remarks>
public sealed class GraphemePhonemeDataset
{
    /// <summary>Pads letters and phonemes; never predicted, ignored by the loss.</summary>
    public const long PaddingId = 0;

    /// <summary>The first token the decoder reads.</summary>
    public const long StartId = 1;

    /// <summary>The token that ends a pronunciation.</summary>
    public const long EndId = 2;

    static readonly Regex PlainWord = new("^[A-Z]+$", RegexOptions.CultureInvariant);

    readonly Dictionary<char, long> letterIds;
    readonly Dictionary<string, long> phonemeIds;

    /// <param name="pronunciations">Word → phonemes, e.g. <see cref="CmuDict.Pronunciations"/>.</param>
    /// <param name="validationWords">How many words to hold out.</param>
    /// <param name="trainWords">At most this many training words (all the rest when null).</param>
    /// <param name="minLength">The shortest word kept, in letters.</param>
    /// <param name="maxLength">The longest word kept, in letters.</param>
    /// <param name="keepStress">Keep the stress digits of vowels.</param>
    /// <param name="seed">Seeds the split and the training batches.</param>
    public GraphemePhonemeDataset(IReadOnlyDictionary<string, IReadOnlyList<string>> pronunciations, int validationWords,
        int? trainWords = null, int minLength = 2, int maxLength = 16, bool keepStress = false, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(pronunciations);
        if (minLength < 1 || maxLength < minLength) throw new ArgumentOutOfRangeException(nameof(maxLength), "need 1 ≤ minLength ≤ maxLength.");
        Seed = seed;
        var pairs = pronunciations
            .Where(p => p.Key.Length >= minLength && p.Key.Length <= maxLength && PlainWord.IsMatch(p.Key) && p.Value.Count > 0)
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new CmuDictEntry(p.Key, 0, p.Value.Select(ph => keepStress ? ph : ph.TrimEnd('0', '1', '2')).ToArray()))
            .ToList();
        if (validationWords < 1 || validationWords >= pairs.Count)
            throw new ArgumentOutOfRangeException(nameof(validationWords), $"between 1 and {pairs.Count - 1} words.");
        // Fisher–Yates with a seeded generator: the same split on every machine.
        var random = new Random(seed);
        for (int i = pairs.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (pairs[i], pairs[j]) = (pairs[j], pairs[i]);
        }
        Validation = pairs.Take(validationWords).ToList();
        Train = pairs.Skip(validationWords).Take(trainWords ?? int.MaxValue).ToList();
        Letters = new[] { "<pad>" }.Concat(Enumerable.Range('A', 26).Select(c => ((char)c).ToString())).ToArray();
        letterIds = Enumerable.Range(0, 26).ToDictionary(i => (char)('A' + i), i => (long)i + 1);
        Phonemes = new[] { "<pad>", "<s>", "</s>" }
            .Concat(pairs.SelectMany(p => p.Phonemes).Distinct().OrderBy(p => p, StringComparer.Ordinal)).ToArray();
        phonemeIds = Phonemes.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => (long)x.i, StringComparer.Ordinal);
        MaxPhonemes = pairs.Max(p => p.Phonemes.Count);
    }

    /// <summary>Seeds the split and the training batches.</summary>
    public int Seed { get; }

    /// <summary>The training words with their pronunciations.</summary>
    public IReadOnlyList<CmuDictEntry> Train { get; }

    /// <summary>The held-out words with their pronunciations.</summary>
    public IReadOnlyList<CmuDictEntry> Validation { get; }

    /// <summary>Letter vocabulary: id → symbol; 0 is padding, then A–Z.</summary>
    public IReadOnlyList<string> Letters { get; }

    /// <summary>Phoneme vocabulary: id → symbol; 0 padding, 1 start, 2 end, then the phonemes in ordinal order.</summary>
    public IReadOnlyList<string> Phonemes { get; }

    /// <summary>The longest pronunciation among the kept words, in phonemes.</summary>
    public int MaxPhonemes { get; }

    /// <summary>Letter ids of a word (upper case A–Z).</summary>
    public long[] EncodeWord(string word) => word.Select(c => letterIds.TryGetValue(char.ToUpperInvariant(c), out var id)
        ? id : throw new ArgumentException($"'{c}' is not a letter A–Z.", nameof(word))).ToArray();

    /// <summary>Phoneme ids of a pronunciation (no start or end token).</summary>
    public long[] EncodePhonemes(IEnumerable<string> phonemes) => phonemes.Select(p => phonemeIds.TryGetValue(p, out var id)
        ? id : throw new ArgumentException($"'{p}' is not in the phoneme vocabulary.", nameof(phonemes))).ToArray();

    /// <summary>Phonemes of decoded ids: the start token and padding are skipped, and the end token ends the sequence.</summary>
    public IReadOnlyList<string> DecodePhonemes(IEnumerable<long> ids)
    {
        var phonemes = new List<string>();
        foreach (long id in ids)
        {
            if (id == EndId) break;
            if (id == StartId || id == PaddingId) continue;
            phonemes.Add(id >= 0 && id < Phonemes.Count ? Phonemes[(int)id] : "?");
        }
        return phonemes;
    }

    /// <summary>Pads the words and pronunciations of <paramref name="entries"/> into one batch.</summary>
    public GraphemePhonemeBatch Batch(IReadOnlyList<CmuDictEntry> entries, Device? device = null)
    {
        if (entries.Count == 0) throw new ArgumentException("A batch needs at least one word.", nameof(entries));
        int b = entries.Count;
        int letters = entries.Max(e => e.Word.Length);
        int phonemes = entries.Max(e => e.Phonemes.Count) + 1;
        var source = new long[b * letters];
        var input = new long[b * phonemes];
        var output = new long[b * phonemes];
        for (int i = 0; i < b; i++)
        {
            var word = EncodeWord(entries[i].Word);
            var sounds = EncodePhonemes(entries[i].Phonemes);
            word.CopyTo(source, i * letters);
            input[i * phonemes] = StartId;
            sounds.CopyTo(input, i * phonemes + 1);
            sounds.CopyTo(output, i * phonemes);
            output[i * phonemes + sounds.Length] = EndId;
        }
        device ??= CPU;
        return new GraphemePhonemeBatch(
            tensor(source, new long[] { b, letters }, device: device),
            tensor(input, new long[] { b, phonemes }, device: device),
            tensor(output, new long[] { b, phonemes }, device: device));
    }

    /// <summary>
    /// Training batch n (any n) is <paramref name="batchSize"/> training words drawn with a generator seeded by n, so a
    /// resumed run sees the same batches.
    /// </summary>
    public Func<int, GraphemePhonemeBatch> TrainBatches(int batchSize, Device? device = null) => n =>
    {
        var random = new Random(unchecked(Seed * 1_000_003 + n));
        var chosen = Enumerable.Range(0, batchSize).Select(_ => Train[random.Next(Train.Count)]).ToArray();
        return Batch(chosen, device);
    };

    /// <summary>Validation batch i holds held-out words i·size … (i+1)·size − 1, wrapping around.</summary>
    public Func<int, GraphemePhonemeBatch> ValidationBatches(int batchSize, Device? device = null) => i =>
        Batch(Enumerable.Range(i * batchSize, batchSize).Select(k => Validation[k % Validation.Count]).ToArray(), device);
}
