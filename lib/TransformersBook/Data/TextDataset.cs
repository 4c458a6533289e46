using TorchSharp;
using TransformersBook.Runtime;
using TransformersBook.Training;

namespace TransformersBook.Data;

/// <summary>
/// A text for a character-level language model, as in char-rnn (Karpathy, 2015) and nanoGPT: the vocabulary is the
/// set of characters that occur, each character is encoded as its index, the first part of the text is for training
/// and the last part for validation, and a batch is B random blocks of T characters (x) with the same blocks shifted
/// by one character (y), the next-character targets.
/// </summary>
public sealed class TextDataset
{
    readonly Dictionary<char, int> index;
    readonly int[] encoded;
    readonly int split;

    /// <summary>A data set over <paramref name="text"/>.</summary>
    /// <param name="text">The whole text.</param>
    /// <param name="validationFraction">The share of the text, taken from its end, held out for validation.</param>
    /// <param name="seed">The seed batches derive from (default: the chapter's seed, else 1234).</param>
    public TextDataset(string text, double validationFraction = 0.1, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (validationFraction is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "Use a fraction in [0, 1).");
        Text = text;
        Vocabulary = text.Distinct().OrderBy(c => c).ToArray();
        index = Vocabulary.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        encoded = text.Select(c => index[c]).ToArray();
        split = (int)Math.Round(text.Length * (1 - validationFraction));
        Seed = seed ?? BookSetup.Current?.Seed ?? 1234;
    }

    public string Text { get; }

    /// <summary>The characters that occur, sorted; a character's token id is its position here.</summary>
    public IReadOnlyList<char> Vocabulary { get; }

    public int VocabularySize => Vocabulary.Count;

    public int Seed { get; }

    /// <summary>Characters in the training part.</summary>
    public int TrainLength => split;

    /// <summary>Characters in the validation part.</summary>
    public int ValidationLength => encoded.Length - split;

    /// <summary>Token ids of a string.</summary>
    /// <exception cref="ArgumentException">A character is not in the vocabulary.</exception>
    public long[] Encode(string text) => text.Select(c => index.TryGetValue(c, out var i)
        ? (long)i
        : throw new ArgumentException($"'{c}' (U+{(int)c:X4}) is not in the vocabulary of {VocabularySize} characters.", nameof(text))).ToArray();

    /// <summary>The string of token ids.</summary>
    public string Decode(IEnumerable<long> ids) => new(ids.Select(i => i >= 0 && i < Vocabulary.Count
        ? Vocabulary[(int)i]
        : throw new ArgumentOutOfRangeException(nameof(ids), i, $"Token ids run from 0 to {VocabularySize - 1}.")).ToArray());

    /// <summary>The string of token ids (as <see cref="Encode"/> returns them).</summary>
    public string Decode(long[] ids) => Decode((IEnumerable<long>)ids);

    /// <summary>The string of a 1-D tensor of token ids.</summary>
    public string Decode(torch.Tensor ids)
    {
        using var cpu = ids.detach().cpu().to_type(torch.ScalarType.Int64).flatten();
        return Decode((IEnumerable<long>)cpu.data<long>().ToArray());
    }

    /// <summary>
    /// B random blocks of <paramref name="blockSize"/> tokens from a split as (x, y), both (B, T) int64 tensors on
    /// <paramref name="device"/>, with y[b, t] = x[b, t + 1] in the text.
    /// </summary>
    public Batch Batch(DataSplit part, int batchSize, int blockSize, torch.Device device, Random random)
    {
        int start = part == DataSplit.Train ? 0 : split;
        int length = part == DataSplit.Train ? split : encoded.Length - split;
        if (batchSize < 1 || blockSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), "Batch and block sizes must be positive.");
        if (length <= blockSize)
            throw new ArgumentException($"The {part} split has {length} characters, too few for blocks of {blockSize} (+1 for the target).", nameof(blockSize));
        var x = new long[batchSize * blockSize];
        var y = new long[batchSize * blockSize];
        for (int b = 0; b < batchSize; b++)
        {
            int offset = start + random.Next(length - blockSize);
            for (int t = 0; t < blockSize; t++)
            {
                x[b * blockSize + t] = encoded[offset + t];
                y[b * blockSize + t] = encoded[offset + t + 1];
            }
        }
        long[] shape = { batchSize, blockSize };
        return new Batch(torch.tensor(x, shape, torch.ScalarType.Int64, device), torch.tensor(y, shape, torch.ScalarType.Int64, device));
    }

    /// <summary>
    /// A batch provider for <see cref="Trainer"/>: batch number n is drawn with a random generator seeded from
    /// (<see cref="Seed"/>, split, n), so it is the same batch in every run, including one resumed from a checkpoint.
    /// </summary>
    public Func<int, Batch> Batches(DataSplit part, int batchSize, int blockSize, torch.Device? device = null) =>
        n => Batch(part, batchSize, blockSize, device ?? torch.CPU, new Random(StreamSeed(Seed, (int)part, n)));

    /// <summary>A well-mixed 32-bit seed from three integers (SplitMix64's finaliser).</summary>
    internal static int StreamSeed(int seed, int stream, int n)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)stream * 0xBF58476D1CE4E5B9UL + (ulong)n * 0x94D049BB133111EBUL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return unchecked((int)(z ^ (z >> 31)));
    }
}
