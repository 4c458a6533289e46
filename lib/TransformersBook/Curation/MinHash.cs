namespace TransformersBook.Curation;

/// <summary>
/// MinHash (Broder, 1997): k seeded universal hash functions h_i(x) = (a_i x + b_i) mod p, p = 2⁶¹ − 1, applied to a
/// shingle's 64-bit stable hash x (reduced mod p). A set's signature holds min over its shingles of each h_i; two sets'
/// signatures agree in position i with probability equal to their Jaccard similarity, so the fraction of agreeing
/// positions is an unbiased estimate with standard deviation √(J(1 − J)/k).
/// </summary>
public sealed class MinHash
{
    /// <summary>The Mersenne prime 2⁶¹ − 1 the hash functions work modulo.</summary>
    public const ulong Prime = (1UL << 61) - 1;

    readonly ulong[] multipliers;
    readonly ulong[] offsets;

    /// <param name="hashCount">k, the signature length.</param>
    /// <param name="seed">Seeds the draw of the a_i ∈ [1, p) and b_i ∈ [0, p).</param>
    public MinHash(int hashCount, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hashCount, 1);
        var random = new Random(seed);
        multipliers = new ulong[hashCount];
        offsets = new ulong[hashCount];
        for (int i = 0; i < hashCount; i++)
        {
            multipliers[i] = (ulong)random.NextInt64(1, (long)Prime);
            offsets[i] = (ulong)random.NextInt64(0, (long)Prime);
        }
    }

    /// <summary>k.</summary>
    public int HashCount => multipliers.Length;

    /// <summary>The a_i.</summary>
    public IReadOnlyList<ulong> Multipliers => multipliers;

    /// <summary>The b_i.</summary>
    public IReadOnlyList<ulong> Offsets => offsets;

    /// <summary>(a x + b) mod (2⁶¹ − 1) for x, a, b below the prime, by 128-bit multiplication.</summary>
    public static ulong HashModPrime(ulong a, ulong x, ulong b)
    {
        UInt128 product = (UInt128)a * x + b;
        ulong low = (ulong)(product & Prime), high = (ulong)(product >> 61);
        ulong sum = low + high;
        while (sum >= Prime) sum -= Prime;
        return sum;
    }

    /// <summary>The signature of a set of shingles given by their stable hashes; an empty set gives all positions p.</summary>
    public ulong[] Signature(IEnumerable<ulong> shingleHashes)
    {
        ArgumentNullException.ThrowIfNull(shingleHashes);
        var signature = new ulong[multipliers.Length];
        Array.Fill(signature, Prime);
        foreach (ulong h in shingleHashes)
        {
            ulong x = h % Prime;
            for (int i = 0; i < signature.Length; i++)
            {
                ulong v = HashModPrime(multipliers[i], x, offsets[i]);
                if (v < signature[i]) signature[i] = v;
            }
        }
        return signature;
    }

    /// <summary>The signature of a set of shingles (hashed with <see cref="Shingles.StableHash"/>).</summary>
    public ulong[] Signature(IEnumerable<string> shingles) => Signature(shingles.Select(Shingles.StableHash));

    /// <summary>The estimated Jaccard similarity: the fraction of positions where two signatures agree.</summary>
    public static double Estimate(ulong[] a, ulong[] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Length != b.Length) throw new ArgumentException("Signatures of different lengths.", nameof(b));
        int agree = 0;
        for (int i = 0; i < a.Length; i++) if (a[i] == b[i]) agree++;
        return (double)agree / a.Length;
    }

    /// <summary>The estimate's standard deviation √(J(1 − J)/k) at similarity J.</summary>
    public static double StandardError(double jaccard, int hashCount) => Math.Sqrt(jaccard * (1 - jaccard) / hashCount);
}
