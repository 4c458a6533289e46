using TorchSharp;

namespace TransformersBook.Training;

/// <summary>
/// One batch of inputs and targets, e.g. token blocks x and the same blocks shifted by one, y. Created by a batch
/// provider inside the trainer's per-step dispose scope, so its tensors are freed after the step.
/// </summary>
/// <param name="Input">The model's input.</param>
/// <param name="Target">What the loss compares the output with.</param>
public sealed record Batch(torch.Tensor Input, torch.Tensor Target)
{
    /// <summary>How many tokens the batch holds, for the tokens/s rate; by default the number of target elements.</summary>
    public long? TokenCount { get; init; }

    /// <summary><see cref="TokenCount"/>, or the number of elements of <see cref="Target"/>.</summary>
    public long Tokens => TokenCount ?? Target.numel();
}
