using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// A token classifier on a <see cref="TextEncoder"/>: every position's final vector goes through one linear layer to a
/// logit per class — a tag per word for part-of-speech tagging, or two logits (answer starts here, answer ends here)
/// for extractive question answering as in BERT (Devlin et al., 2019).
/// </summary>
public sealed class TextEncoderTokenClassifier : nn.Module<Tensor, Tensor>
{
    readonly TextEncoder encoder;
    readonly Linear head;

    /// <param name="config">The encoder's sizes.</param>
    /// <param name="classes">Logits per position.</param>
    public TextEncoderTokenClassifier(TextEncoderConfig config, int classes) : base(nameof(TextEncoderTokenClassifier))
    {
        encoder = new TextEncoder(config);
        head = nn.Linear(config.Width, classes);
        RegisterComponents();
    }

    /// <summary>The encoder.</summary>
    public TextEncoder Encoder => encoder;

    /// <summary>The linear layer from each position's vector to its logits.</summary>
    public Linear Head => head;

    /// <summary>Logits at every position: (B, T) ids → (B, T, classes).</summary>
    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        return head.forward(encoder.Encode(tokens)).MoveToOuterDisposeScope();
    }
}
