using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Inference;

/// <summary>
/// Beam search: keep the <c>beams</c> prefixes with the highest total log-probability; at each step extend every
/// prefix by every token and keep the best <c>beams</c> of the beams × vocabulary candidates. With one beam it is
/// greedy decoding; with more it finds sequences of higher likelihood, which for open-ended text are often repetitive.
/// All sequences have the same length, so the total log-probability needs no length normalisation.
/// </summary>
public static class BeamSearch
{
    /// <summary>The most likely continuation the search finds and its total log-probability.</summary>
    /// <param name="nextLogits">(beams, time) token ids → (beams, vocabulary) logits of the next token, e.g. a GPT's last position.</param>
    /// <param name="prompt">The prompt's token ids.</param>
    /// <param name="beams">Prefixes kept at each step.</param>
    /// <param name="newTokens">Tokens to add.</param>
    public static (long[] Tokens, double LogProbability) Search(Func<Tensor, Tensor> nextLogits, long[] prompt, int beams, int newTokens)
    {
        if (beams < 1) throw new ArgumentOutOfRangeException(nameof(beams), beams, "keep at least one beam.");
        using var noGrad = no_grad();
        var sequences = new List<long[]> { prompt };
        var scores = new List<double> { 0.0 };
        for (int step = 0; step < newTokens; step++)
        {
            using var scope = NewDisposeScope();
            var batch = tensor(sequences.SelectMany(s => s).ToArray(), new long[] { sequences.Count, sequences[0].Length });
            var logProbabilities = nn.functional.log_softmax(nextLogits(batch), dim: -1).cpu().to(ScalarType.Float64);
            long vocabulary = logProbabilities.shape[1];
            var total = logProbabilities + tensor(scores.ToArray()).unsqueeze(1);
            var (best, index) = total.flatten().topk(Math.Min(beams, (int)total.numel()));
            var bestScores = best.data<double>().ToArray();
            var bestIndex = index.data<long>().ToArray();
            sequences = bestIndex.Select(i => sequences[(int)(i / vocabulary)].Append(i % vocabulary).ToArray()).ToList();
            scores = bestScores.ToList();
        }
        return (sequences[0], scores[0]);
    }
}
