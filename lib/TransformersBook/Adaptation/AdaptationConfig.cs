namespace TransformersBook.Adaptation;

/// <summary>
/// What <see cref="AdaptedGpt"/> adds to a frozen GPT. Every part is off at 0 and they combine freely.
/// </summary>
/// <param name="LoRARank">r of the low-rank updates (<see cref="LoRALinear"/>); 0 for none.</param>
/// <param name="LoRAAlpha">α: the updates are scaled by α/r.</param>
/// <param name="LoRATargets">Which linear layers of every block get an update.</param>
/// <param name="AdapterBottleneck">m of the bottleneck adapters after each attention and feed-forward sublayer (<see cref="BottleneckAdapter"/>); 0 for none.</param>
/// <param name="PromptLength">P of the soft prompt placed before the input (<see cref="SoftPrompt"/>); 0 for none.</param>
/// <param name="PrefixLength">P of the per-layer key/value prefixes (<see cref="KeyValuePrefix"/>); 0 for none.</param>
/// <param name="QuantizeLoRABase">QLoRA: the LoRA-targeted layers compute with their weights in 4-bit NormalFloat (<see cref="QLoRALinear"/>).</param>
/// <param name="DoubleQuantization">With <paramref name="QuantizeLoRABase"/>: store the NF4 block constants as 8-bit codes.</param>
public sealed record AdaptationConfig(int LoRARank = 0, double LoRAAlpha = 1.0, LoRATargets LoRATargets = LoRATargets.All,
    int AdapterBottleneck = 0, int PromptLength = 0, int PrefixLength = 0, bool QuantizeLoRABase = false, bool DoubleQuantization = true);
