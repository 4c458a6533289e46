using TorchSharp;
using TransformersBook.Models;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

[Collection(ProcessState.Name)]
public class AudioModelsTests
{
    public AudioModelsTests() => TestSetup.Initialize();

    [Fact]
    public void The_conformer_convolution_module_is_its_seven_steps()
    {
        manual_seed(2);
        using var module = new ConformerConvolutionModule(8, 5);
        module.eval();
        var x = randn(3, 12, 8);
        var p = module.state_dict();
        var h = nn.functional.layer_norm(x, new long[] { 8 }, p["norm.weight"], p["norm.bias"]);
        h = nn.functional.linear(h, p["pointwiseIn.weight"], p["pointwiseIn.bias"]);
        h = h.narrow(-1, 0, 8) * h.narrow(-1, 8, 8).sigmoid();                                           // GLU
        h = nn.functional.conv1d(h.transpose(1, 2), p["depthwise.weight"], p["depthwise.bias"], padding: 2, groups: 8);
        h = (h - p["batchNorm.running_mean"].view(1, 8, 1)) / (p["batchNorm.running_var"].view(1, 8, 1) + 1e-5).sqrt()
            * p["batchNorm.weight"].view(1, 8, 1) + p["batchNorm.bias"].view(1, 8, 1);
        h = (h * h.sigmoid()).transpose(1, 2);                                                           // Swish
        var expected = nn.functional.linear(h, p["pointwiseOut.weight"], p["pointwiseOut.bias"]);
        using (no_grad()) Assert.True((module.forward(x) - expected).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void The_depthwise_convolution_sees_only_nearby_frames()
    {
        manual_seed(3);
        using var module = new ConformerConvolutionModule(4, 3);
        module.eval();
        var x = randn(1, 10, 4);
        var changed = x.clone();
        changed[0, 9] = randn(4) * 3;          // a new frame (a constant shift would vanish in the LayerNorm)
        using var _ = no_grad();
        var difference = (module.forward(x) - module.forward(changed)).abs().sum(dim: -1)[0];
        // Kernel 3: frames 8 and 9 change, frames 0..7 do not.
        var perFrame = difference.data<float>().ToArray();
        Assert.True(perFrame.Take(8).Max() < 1e-5f, string.Join(", ", perFrame));
        Assert.True(perFrame[8] > 1e-4f, string.Join(", ", perFrame));
    }

    [Fact]
    public void Patches_join_consecutive_frames()
    {
        var spectrogram = arange(2 * 6 * 3, dtype: ScalarType.Float32).view(2, 6, 3);
        var patches = AudioTransformerClassifier.Patchify(spectrogram, 2);
        Assert.Equal(new long[] { 2, 3, 6 }, patches.shape);
        Assert.Equal(new float[] { 6, 7, 8, 9, 10, 11 }, patches[0, 1].data<float>().ToArray());
    }

    [Fact]
    public void The_classifiers_give_one_logit_per_class_and_the_variant_adds_the_convolutions()
    {
        manual_seed(4);
        var config = new AudioTransformerConfig(Mels: 20, Frames: 16, PatchFrames: 4, Width: 16, Heads: 2, Layers: 2, FeedForwardWidth: 32, Classes: 5);
        using var transformer = new AudioTransformerClassifier(config);
        using var conformer = new AudioTransformerClassifier(config with { ConvolutionKernel = 3 });
        using var cnn = new AudioCnnClassifier(20, new[] { 4, 8 }, 5);
        var x = randn(3, 16, 20);
        foreach (nn.Module<Tensor, Tensor> model in new nn.Module<Tensor, Tensor>[] { transformer, conformer, cnn })
        {
            model.eval();
            using var _ = no_grad();
            Assert.Equal(new long[] { 3, 5 }, model.forward(x).shape);
        }
        long Count(nn.Module m) => m.parameters().Sum(p => p.numel());
        // Per layer: LayerNorm 2·16, pointwise 16·32 + 32, depthwise 16·3 + 16, BatchNorm 2·16, pointwise 16·16 + 16.
        Assert.Equal(2 * (32 + 544 + 64 + 32 + 272), Count(conformer) - Count(transformer));
        // Conv 20→4 (width 3) and BatchNorm, conv 4→8 and BatchNorm, the read-out 8→5.
        Assert.Equal(20 * 4 * 3 + 4 + 8 + 4 * 8 * 3 + 8 + 16 + 8 * 5 + 5, Count(cnn));
    }
}
