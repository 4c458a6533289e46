using TransformersBook.Models;

namespace TransformersBook.Adaptation;

/// <summary>Low-rank adaptation of a GPT in one call (Hu et al., 2021).</summary>
public static class LoRA
{
    /// <summary>
    /// Freezes <paramref name="model"/> and wraps the <paramref name="targets"/> linear layers of every block in a
    /// <see cref="LoRALinear"/> of rank <paramref name="rank"/>; only the A and B matrices train.
    /// </summary>
    public static AdaptedGpt Apply(Gpt model, int rank, double alpha, LoRATargets targets = LoRATargets.All) =>
        new(model, new AdaptationConfig(LoRARank: rank, LoRAAlpha: alpha, LoRATargets: targets));
}
