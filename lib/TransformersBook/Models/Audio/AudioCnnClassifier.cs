using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// The baseline a practitioner tries first on keyword spotting: a small temporal convolutional network over the log-mel
/// spectrogram, with the mel bands as input channels (as in TC-ResNet, Choi et al., 2019). Each stage is a convolution
/// of width 3 along time, BatchNorm, ReLU and max pooling by 2 in time; global average pooling over time and a linear
/// layer give the logits. The convolution runs as a matrix product over the unfolded frames (<see cref="Convolve"/>)
/// and the pooling as a maximum over pairs of frames: on the book's CPU build of libtorch, its own conv1d and max
/// pooling produced NaN now and then, at random, in training (the unfolded form gives the same numbers).
/// </summary>
public sealed class AudioCnnClassifier : nn.Module<Tensor, Tensor>
{
    readonly ModuleList<Conv1d> convolutions;
    readonly ModuleList<BatchNorm1d> norms;
    readonly Dropout dropout;
    readonly Linear head;

    /// <param name="mels">Mel bands per frame: the first stage's input channels.</param>
    /// <param name="channels">The output channels of each stage, such as { 64, 80, 96 }.</param>
    /// <param name="classes">Output classes.</param>
    /// <param name="dropout">Dropout before the read-out.</param>
    public AudioCnnClassifier(int mels, int[] channels, int classes, double dropout = 0.1) : base(nameof(AudioCnnClassifier))
    {
        ArgumentNullException.ThrowIfNull(channels);
        if (channels.Length == 0) throw new ArgumentException("At least one stage.", nameof(channels));
        convolutions = nn.ModuleList(channels.Select((c, s) => nn.Conv1d(s == 0 ? mels : channels[s - 1], c, 3, padding: 1)).ToArray());
        norms = nn.ModuleList(channels.Select(c => nn.BatchNorm1d(c)).ToArray());
        this.dropout = nn.Dropout(dropout);
        head = nn.Linear(channels[^1], classes);
        RegisterComponents();
    }

    /// <summary>
    /// A convolution of width 3 along time with zero padding 1, as a matrix product: each output frame is the weight
    /// matrix (out × in·3) times the in·3 values of the frame and its two neighbours. Equal to <c>conv1d(x, w, b, padding: 1)</c>.
    /// </summary>
    /// <param name="x">(batch, in channels, time)</param>
    /// <param name="convolution">The layer whose weight (out, in, 3) and bias are used.</param>
    /// <returns>(batch, out channels, time)</returns>
    public static Tensor Convolve(Tensor x, Conv1d convolution)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(convolution);
        var windows = nn.functional.pad(x, new long[] { 1, 1 }).unfold(2, 3, 1)       // (B, in, T, 3)
            .permute(0, 2, 1, 3).flatten(2);                                          // (B, T, in·3), in the weight's order
        return nn.functional.linear(windows, convolution.weight!.flatten(1), convolution.bias).transpose(1, 2);
    }

    /// <summary>Max pooling by 2 along time, as the maximum of each pair of frames (an odd last frame is dropped).</summary>
    public static Tensor PoolPairs(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        long pairs = x.shape[2] / 2;
        return x.narrow(2, 0, 2 * pairs).reshape(x.shape[0], x.shape[1], pairs, 2).amax(new long[] { -1 });
    }

    /// <param name="spectrogram">(batch, frames, mels)</param>
    /// <returns>Logits, (batch, classes).</returns>
    public override Tensor forward(Tensor spectrogram)
    {
        using var scope = NewDisposeScope();
        var h = spectrogram.transpose(1, 2);                              // (B, M, T): the bands are channels
        for (int s = 0; s < convolutions.Count; s++)
            h = PoolPairs(nn.functional.relu(norms[s].forward(Convolve(h, convolutions[s]))));
        return head.forward(dropout.forward(h.mean(new long[] { 2 }))).MoveToOuterDisposeScope();
    }
}
