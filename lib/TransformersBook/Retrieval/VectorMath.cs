namespace TransformersBook.Retrieval;

/// <summary>The two vector operations the indexes need, on plain float arrays.</summary>
public static class VectorMath
{
    /// <summary>Σ a_i b_i (the shorter length is used if they differ).</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int n = Math.Min(a.Length, b.Length);
        float sum = 0;
        for (int i = 0; i < n; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>A copy scaled to unit length; the zero vector stays zero (its cosine with anything is then 0).</summary>
    public static float[] Normalized(float[] v)
    {
        ArgumentNullException.ThrowIfNull(v);
        double norm = Math.Sqrt(v.Sum(x => (double)x * x));
        return norm == 0 ? (float[])v.Clone() : v.Select(x => (float)(x / norm)).ToArray();
    }
}
