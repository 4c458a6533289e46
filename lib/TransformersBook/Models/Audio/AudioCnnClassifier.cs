using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// The baseline a practitioner tries first on keyword spotting: a small convolutional network that treats the
/// log-mel spectrogram as a one-channel image. Each stage is a 3 × 3 convolution, BatchNorm, ReLU and 2 × 2 max
/// pooling; global average pooling over time and frequency and a linear layer give the logits.
/// </summary>
public sealed class AudioCnnClassifier : nn.Module<Tensor, Tensor>
{
    readonly Sequential stages;
    readonly Dropout dropout;
    readonly Linear head;

    /// <param name="channels">The output channels of each stage, such as { 16, 32, 64 }.</param>
    /// <param name="classes">Output classes.</param>
    /// <param name="dropout">Dropout before the read-out.</param>
    public AudioCnnClassifier(int[] channels, int classes, double dropout = 0.1) : base(nameof(AudioCnnClassifier))
    {
        ArgumentNullException.ThrowIfNull(channels);
        if (channels.Length == 0) throw new ArgumentException("At least one stage.", nameof(channels));
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        int input = 1;
        for (int s = 0; s < channels.Length; s++)
        {
            modules.Add(($"conv{s}", nn.Conv2d(input, channels[s], 3, padding: 1)));
            modules.Add(($"norm{s}", nn.BatchNorm2d(channels[s])));
            modules.Add(($"relu{s}", nn.ReLU()));
            modules.Add(($"pool{s}", nn.MaxPool2d(2)));
            input = channels[s];
        }
        stages = nn.Sequential(modules);
        this.dropout = nn.Dropout(dropout);
        head = nn.Linear(input, classes);
        RegisterComponents();
    }

    /// <param name="spectrogram">(batch, frames, mels)</param>
    /// <returns>Logits, (batch, classes).</returns>
    public override Tensor forward(Tensor spectrogram)
    {
        using var scope = NewDisposeScope();
        var h = stages.forward(spectrogram.unsqueeze(1));                 // (B, C, T', M')
        return head.forward(dropout.forward(h.mean(new long[] { 2, 3 }))).MoveToOuterDisposeScope();
    }
}
