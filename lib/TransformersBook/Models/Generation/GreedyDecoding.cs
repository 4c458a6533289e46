using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>What greedy decoding produced.</summary>
/// <param name="Tokens">(batch, 1 + generated): the start token followed by the argmax choices; after a sequence's end
/// token it is padded.</param>
/// <param name="CrossAttention">(batch, heads, generated, source) the last decoder layer's cross-attention: row t is
/// where the decoder looked in the source while choosing token t + 1 of <paramref name="Tokens"/>.</param>
public sealed record GreedyDecoding(Tensor Tokens, Tensor CrossAttention) : IDisposable
{
    public void Dispose()
    {
        Tokens.Dispose();
        CrossAttention.Dispose();
    }
}
