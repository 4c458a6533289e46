using TransformersBook.ModelFiles;
using TransformersBook.Models;
using static TorchSharp.torch;

namespace TransformersBook.Tests;

/// <summary>A small random GPT over a character vocabulary, and its Hugging Face-style folder, for the serving tests.</summary>
static class ServingTestModel
{
    public static readonly char[] Vocabulary = "abcdefghijklmnopqrstuvwxyz .,".ToCharArray();

    public static Gpt Create(int contextLength = 64, int width = 32)
    {
        manual_seed(11);
        var model = new Gpt(new GptConfig(Vocabulary.Length, contextLength, Layers: 2, Heads: 2, width));
        model.eval();
        return model;
    }

    public static void Save(string folder, int contextLength = 64, int width = 32) => GptFolder.Save(folder, Create(contextLength, width), Vocabulary);
}
