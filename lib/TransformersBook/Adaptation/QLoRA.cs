using TransformersBook.Models;

namespace TransformersBook.Adaptation;

/// <summary>QLoRA of a GPT in one call (Dettmers et al., 2023): LoRA on 4-bit NormalFloat copies of the frozen weights.</summary>
public static class QLoRA
{
    /// <summary>
    /// Freezes <paramref name="model"/> and replaces the <paramref name="targets"/> linear layers of every block, inside
    /// the adapted model, by <see cref="QLoRALinear"/>s of rank <paramref name="rank"/>: each computes with its weight
    /// quantized to NF4 (blocks of 64) and trains only A and B. The GPT itself keeps its float weights.
    /// </summary>
    public static AdaptedGpt Apply(Gpt model, int rank, double alpha, LoRATargets targets = LoRATargets.All, bool doubleQuantization = true) =>
        new(model, new AdaptationConfig(LoRARank: rank, LoRAAlpha: alpha, LoRATargets: targets, QuantizeLoRABase: true,
            DoubleQuantization: doubleQuantization));
}
