using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Blocks;

/// <summary>
/// What every feed-forward sublayer offers its block, dense (<see cref="FeedForward"/>) or gated
/// (<see cref="GatedFeedForward"/>): its kind, the forward pass and the projection back onto the residual stream
/// (whose initialisation GPT-2 scales), so blocks hold any kind without asking which.
/// </summary>
public interface IFeedForward
{
    /// <summary>Which activation, and whether gated.</summary>
    FeedForwardKind Kind { get; }

    /// <summary>The last linear layer, hidden width → d.</summary>
    Linear OutputProjection { get; }

    /// <summary>(…, d) in, (…, d) out.</summary>
    Tensor forward(Tensor x);
}
