using TorchSharp;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// How the book's language models draw the next token: softmax(logits / temperature), optionally only among the
/// <c>topK</c> most likely. One sampler, so every model's <c>Generate</c> draws the same way from the same random stream.
/// </summary>
public static class TokenSampler
{
    /// <summary>One token per row: (batch, vocabulary) logits in, (batch, 1) int64 ids out.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The temperature is not positive.</exception>
    public static Tensor Sample(Tensor logits, double temperature = 1.0, int? topK = null, Generator? generator = null)
    {
        if (temperature <= 0) throw new ArgumentOutOfRangeException(nameof(temperature), "temperature must be positive.");
        using var scope = NewDisposeScope();
        var scaled = logits / temperature;
        if (topK is int k && k < scaled.shape[1])
        {
            // Everything below the k-th largest score gets probability zero.
            var kth = scaled.topk(k).values.narrow(1, k - 1, 1);
            scaled = scaled.masked_fill(scaled < kth, double.NegativeInfinity);
        }
        return multinomial(nn.functional.softmax(scaled, dim: -1), 1, generator: generator).MoveToOuterDisposeScope();
    }
}
