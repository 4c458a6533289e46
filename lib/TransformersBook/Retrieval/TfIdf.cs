namespace TransformersBook.Retrieval;

/// <summary>
/// A TF-IDF retriever (Salton &amp; Buckley, 1988) over pre-tokenised documents. A term's weight in a text is its count
/// times idf(t) = ln((1 + N) / (1 + df(t))) + 1 — the smoothed form scikit-learn uses, so that a term in every document
/// still counts a little — and a text's vector is normalised to unit length, so a score is a cosine similarity.
/// Scoring walks the inverted lists (postings) of the query's terms only, so it costs the postings touched, not N.
/// </summary>
public sealed class TfIdf
{
    readonly Dictionary<string, double> idf = new(StringComparer.Ordinal);
    readonly Dictionary<string, List<(int Document, double Weight)>> postings = new(StringComparer.Ordinal);

    /// <param name="documents">Each document as its list of terms (already lower-cased, split, …).</param>
    public TfIdf(IReadOnlyList<IReadOnlyList<string>> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        DocumentCount = documents.Count;
        var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var doc in documents)
            foreach (var term in doc.Distinct(StringComparer.Ordinal))
                documentFrequency[term] = documentFrequency.GetValueOrDefault(term) + 1;
        foreach (var (term, df) in documentFrequency) idf[term] = Math.Log((1.0 + DocumentCount) / (1.0 + df)) + 1.0;
        for (int d = 0; d < documents.Count; d++)
            foreach (var (term, weight) in Vector(documents[d]))
            {
                if (!postings.TryGetValue(term, out var list)) postings[term] = list = new List<(int, double)>();
                list.Add((d, weight));
            }
    }

    /// <summary>N, the number of documents.</summary>
    public int DocumentCount { get; }

    /// <summary>How many distinct terms the documents hold.</summary>
    public int VocabularySize => idf.Count;

    /// <summary>idf(t) = ln((1 + N) / (1 + df(t))) + 1; a term no document holds gets 0 (it cannot match anything).</summary>
    public double InverseDocumentFrequency(string term) => idf.GetValueOrDefault(term);

    /// <summary>The unit-length TF-IDF vector of a text, as term → weight (terms unknown to the documents are dropped).</summary>
    public Dictionary<string, double> Vector(IEnumerable<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var term in terms)
            if (idf.TryGetValue(term, out double w)) weights[term] = weights.GetValueOrDefault(term) + w;
        double norm = Math.Sqrt(weights.Values.Sum(w => w * w));
        if (norm > 0) foreach (var term in weights.Keys.ToList()) weights[term] /= norm;
        return weights;
    }

    /// <summary>The cosine similarity of the query with every document (0 where they share no term).</summary>
    public float[] Scores(IEnumerable<string> query)
    {
        var scores = new float[DocumentCount];
        foreach (var (term, weight) in Vector(query))
            foreach (var (document, documentWeight) in postings[term])
                scores[document] += (float)(weight * documentWeight);
        return scores;
    }

    /// <summary>The k documents most similar to the query, best first (equal scores by increasing id).</summary>
    public IReadOnlyList<SearchHit> Search(IEnumerable<string> query, int k)
    {
        var scores = Scores(query);
        var best = new TopK(k);
        for (int d = 0; d < scores.Length; d++) best.Add(d, scores[d]);
        return best.Best();
    }
}
