using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// The baseline a practitioner tries first on keyword spotting: a small temporal convolutional network over the log-mel
/// spectrogram, with the mel bands as input channels (as in TC-ResNet, Choi et al., 2019). Each stage is a convolution
/// of width 3 along time, BatchNorm, ReLU and max pooling by 2 in time; global average pooling over time and a linear
/// layer give the logits.
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

    /// <param name="spectrogram">(batch, frames, mels)</param>
    /// <returns>Logits, (batch, classes).</returns>
    public override Tensor forward(Tensor spectrogram)
    {
        using var scope = NewDisposeScope();
        var h = spectrogram.transpose(1, 2);                              // (B, M, T): the bands are channels
        for (int s = 0; s < convolutions.Count; s++)
            h = nn.functional.max_pool1d(nn.functional.relu(norms[s].forward(convolutions[s].forward(h))), 2);
        return head.forward(dropout.forward(h.mean(new long[] { 2 }))).MoveToOuterDisposeScope();
    }
}
