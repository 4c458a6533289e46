using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// A sequence classifier on a <see cref="TextEncoder"/>: the final vector of the first token ([CLS]) goes through one
/// linear layer to a logit per class. <see cref="ForwardEmbedded"/> takes the token vectors directly, so the gradient of
/// a loss with respect to the input vectors — what HotFlip needs — is one backward pass away.
/// </summary>
public sealed class TextEncoderClassifier : nn.Module<Tensor, Tensor>
{
    readonly TextEncoder encoder;
    readonly Linear head;

    /// <param name="config">The encoder's sizes.</param>
    /// <param name="classes">The number of classes.</param>
    public TextEncoderClassifier(TextEncoderConfig config, int classes) : base(nameof(TextEncoderClassifier))
    {
        encoder = new TextEncoder(config);
        head = nn.Linear(config.Width, classes);
        RegisterComponents();
    }

    /// <summary>The encoder.</summary>
    public TextEncoder Encoder => encoder;

    /// <summary>Class logits from token vectors: (B, T, d_model) and the (B, T) ids (for padding) → (B, classes).</summary>
    public Tensor ForwardEmbedded(Tensor embedded, Tensor tokens)
    {
        using var scope = NewDisposeScope();
        return head.forward(encoder.EncodeEmbedded(embedded, tokens).select(1, 0)).MoveToOuterDisposeScope();
    }

    /// <summary>Class logits, (B, T) ids with [CLS] first → (B, classes).</summary>
    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        return head.forward(encoder.forward(tokens)).MoveToOuterDisposeScope();
    }
}
