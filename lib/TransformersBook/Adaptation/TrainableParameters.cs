using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.Training;
using static TorchSharp.torch;

namespace TransformersBook.Adaptation;

/// <summary>
/// Counting what a fine-tuning method trains. A parameter reachable along two paths of a module (a frozen layer held
/// by the model and by its LoRA wrapper) is counted once.
/// </summary>
public static class TrainableParameters
{
    /// <summary>Every distinct parameter of the module (<see cref="LayerFreezing.Parameters"/>).</summary>
    public static IReadOnlyList<Parameter> All(nn.Module module) => LayerFreezing.Parameters(module);

    /// <summary>The distinct parameters with requires_grad: what an optimizer is given (<see cref="LayerFreezing.Trainable"/>).</summary>
    public static IReadOnlyList<Parameter> Of(nn.Module module) => LayerFreezing.Trainable(module);

    /// <summary>Numbers the optimizer updates.</summary>
    public static long Count(nn.Module module) => LayerFreezing.TrainableCount(module);

    /// <summary>Numbers the model holds, frozen or not.</summary>
    public static long Total(nn.Module module) => All(module).Sum(p => p.numel());

    /// <summary>Trainable ÷ total.</summary>
    public static double Fraction(nn.Module module) => (double)Count(module) / Total(module);

    /// <summary>
    /// Bytes of Adam's state for the trainable parameters: two moments (m and v) per trained number, each as wide as
    /// the parameter's element type (4 bytes for float32). The frozen weights need no optimizer state at all.
    /// </summary>
    public static long AdamStateBytes(nn.Module module) => Of(module).Sum(p => 2 * p.numel() * p.ElementSize);
}
