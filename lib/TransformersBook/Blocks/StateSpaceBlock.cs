using TorchSharp;
using TorchSharp.Modules;
using TransformersBook.StateSpace;
using static TorchSharp.torch;

namespace TransformersBook.Blocks;

/// <summary>
/// A pre-norm residual block with a selective state-space mixer in attention's place:
/// x + SSM(LN(x)), then x + FFN(LN(x)) — the layout of <see cref="PreNormDecoderBlock"/>, so that a comparison with a GPT
/// changes only the sequence mixer. Its recurrent <see cref="Step"/> carries a (batch, d, N) state from token to token.
/// </summary>
public sealed class StateSpaceBlock : nn.Module<Tensor, Tensor>
{
    readonly LayerNorm mixerNorm;
    readonly SelectiveStateSpace mixer;
    readonly LayerNorm feedForwardNorm;
    readonly FeedForward feedForward;

    /// <param name="width">The model width d.</param>
    /// <param name="stateSize">N, states per channel of the mixer.</param>
    /// <param name="dropout">Dropout on the feed-forward output.</param>
    public StateSpaceBlock(int width, int stateSize, double dropout = 0.0) : base(nameof(StateSpaceBlock))
    {
        mixerNorm = nn.LayerNorm(width);
        mixer = new SelectiveStateSpace(width, stateSize);
        feedForwardNorm = nn.LayerNorm(width);
        feedForward = new FeedForward(width, 4 * width, dropout);
        RegisterComponents();
    }

    /// <summary>The selective state-space mixer.</summary>
    public SelectiveStateSpace Mixer => mixer;

    /// <summary>The feed-forward sublayer (GPT-2's, hidden width 4d).</summary>
    public FeedForward FeedForward => feedForward;

    /// <param name="x">(batch, time, d)</param>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        x = x + mixer.forward(mixerNorm.forward(x));
        x = x + feedForward.forward(feedForwardNorm.forward(x));
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>One token: x (batch, d) and the mixer's state (batch, d, N) in, the block's output and the new state out.</summary>
    public (Tensor Output, Tensor State) Step(Tensor x, Tensor state)
    {
        using var scope = NewDisposeScope();
        var (mixed, next) = mixer.Step(mixerNorm.forward(x), state);
        x = x + mixed;
        x = x + feedForward.forward(feedForwardNorm.forward(x));
        return (x.MoveToOuterDisposeScope(), next.MoveToOuterDisposeScope());
    }
}
