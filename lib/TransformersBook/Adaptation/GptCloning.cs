using TorchSharp;
using TransformersBook.Models;
using static TorchSharp.torch;

namespace TransformersBook.Adaptation;

/// <summary>Independent copies of a GPT, so one pretrained model can be fine-tuned several ways.</summary>
public static class GptCloning
{
    /// <summary>A new GPT with the same configuration, on the same device, holding a copy of every parameter, all trainable.</summary>
    public static Gpt Clone(Gpt model)
    {
        var device = model.parameters().First().device;
        var copy = new Gpt(model.Config).to(device);
        var source = model.state_dict();
        using (no_grad())
        {
            foreach (var (name, target) in copy.state_dict())
                target.copy_(source[name]);
        }
        foreach (var p in copy.parameters()) p.requires_grad = true;
        copy.train(model.training);
        return copy;
    }
}
