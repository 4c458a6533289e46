using static TorchSharp.torch;

namespace TransformersBook.Data;

/// <summary>
/// A batch of spelling → pronunciation pairs for a sequence-to-sequence model trained with teacher forcing.
/// All three tensors are right-padded with <see cref="GraphemePhonemeDataset.PaddingId"/>.
/// </summary>
/// <param name="Source">(batch, letters) letter ids.</param>
/// <param name="TargetInput">(batch, 1 + phonemes): the start token followed by the phonemes; what the decoder reads.</param>
/// <param name="TargetOutput">(batch, phonemes + 1): the phonemes followed by the end token; what it must predict.</param>
public sealed record GraphemePhonemeBatch(Tensor Source, Tensor TargetInput, Tensor TargetOutput)
{
    /// <summary>The phonemes and end tokens to predict (not padding), for a tokens/s rate.</summary>
    public long Tokens => TargetOutput.count_nonzero().item<long>();
}
