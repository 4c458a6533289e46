using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Training;

/// <summary>
/// Which parameters of a model fine-tuning may change: freezing sets <c>requires_grad</c> to false, so no gradient is
/// computed for them and an optimizer given <see cref="Trainable"/> never sees them.
/// </summary>
public static class LayerFreezing
{
    /// <summary>Freezes every parameter of <paramref name="module"/>.</summary>
    public static void Freeze(nn.Module module) => SetTrainable(module, false);

    /// <summary>Makes every parameter of <paramref name="module"/> trainable.</summary>
    public static void Unfreeze(nn.Module module) => SetTrainable(module, true);

    /// <summary>Freezes all of <paramref name="model"/>, then makes the parameters of <paramref name="parts"/> (submodules of it) trainable.</summary>
    public static void TrainOnly(nn.Module model, params nn.Module[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        Freeze(model);
        foreach (var part in parts) Unfreeze(part);
    }

    /// <summary>
    /// Every distinct parameter of the module, in its order. A parameter reachable along two paths (a frozen layer held
    /// by the model and by a LoRA wrapper) is listed once, so it is neither counted twice nor updated twice.
    /// </summary>
    public static IReadOnlyList<Parameter> Parameters(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var seen = new HashSet<IntPtr>();
        return module.parameters().Where(p => seen.Add(p.Handle)).ToList();
    }

    /// <summary>The distinct parameters that require a gradient, in the module's order: what an optimizer is given.</summary>
    public static IReadOnlyList<Parameter> Trainable(nn.Module module) => Parameters(module).Where(p => p.requires_grad).ToList();

    /// <summary>How many numbers the trainable parameters hold.</summary>
    public static long TrainableCount(nn.Module module) => Trainable(module).Sum(p => p.numel());

    static void SetTrainable(nn.Module module, bool trainable)
    {
        ArgumentNullException.ThrowIfNull(module);
        foreach (var p in module.parameters()) p.requires_grad = trainable;
    }
}
