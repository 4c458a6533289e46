namespace TransformersBook.Evaluation;

/// <summary>How BLEU treats an n-gram order with no match (Chen and Cherry, 2014).</summary>
public enum BleuSmoothing
{
    /// <summary>No smoothing: a zero precision makes the score zero.</summary>
    None,
    /// <summary>A zero count becomes a small constant ε (precision ε / total); sacreBLEU's default ε is 0.1.</summary>
    Floor,
    /// <summary>mteval-v13a's "exp" smoothing, sacreBLEU's default: the k-th order with no match gets precision 1 / (2^k · total).</summary>
    Exponential,
}
