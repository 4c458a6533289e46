using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TransformersBook.Models;

/// <summary>
/// BERT's sequence classifier (Devlin et al., 2019): an <see cref="EncoderOnly"/> encoder reads the whole sequence;
/// the final vector of its first token, [CLS], goes through the pooler tanh(W_p h + b_p) and a linear layer to one logit
/// per class. Fine-tuning trains everything, the encoder (pretrained or not) included.
/// </summary>
public sealed class BertClassifier : nn.Module<Tensor, Tensor>
{
    readonly EncoderOnly encoder;
    readonly Linear pooler;
    readonly Dropout dropout;
    readonly Linear classifier;

    /// <summary>A classifier on top of an encoder (whose parameters it shares, not copies).</summary>
    /// <param name="encoder">The encoder; its [CLS] vector is at position 0.</param>
    /// <param name="classes">The number of classes.</param>
    /// <param name="dropout">Dropout before the last layer (0.1 in BERT).</param>
    public BertClassifier(EncoderOnly encoder, int classes, double dropout = 0.1) : base(nameof(BertClassifier))
    {
        ArgumentNullException.ThrowIfNull(encoder);
        this.encoder = encoder;
        int width = encoder.Config.Width;
        pooler = nn.Linear(width, width);
        this.dropout = nn.Dropout(dropout);
        classifier = nn.Linear(width, classes);
        RegisterComponents();
    }

    /// <summary>The encoder.</summary>
    public EncoderOnly Encoder => encoder;

    /// <summary>The pooled [CLS] vector tanh(W_p h_[CLS] + b_p).</summary>
    /// <param name="tokens">(batch, time) token ids, [CLS] first.</param>
    /// <returns>(batch, d_model)</returns>
    public Tensor Pooled(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        var first = encoder.Encode(tokens).select(1, 0);
        return pooler.forward(first).tanh().MoveToOuterDisposeScope();
    }

    /// <summary>Class logits.</summary>
    /// <param name="tokens">(batch, time) token ids, [CLS] first.</param>
    /// <returns>(batch, classes)</returns>
    public override Tensor forward(Tensor tokens)
    {
        using var scope = NewDisposeScope();
        return classifier.forward(dropout.forward(Pooled(tokens))).MoveToOuterDisposeScope();
    }
}
